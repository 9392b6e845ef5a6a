using PlotStyle = Anvil.Training.Plots.PlotStyle;
using ScottPlot;

namespace Anvil.Training.Tuning;

/// <summary>
/// A study's pictures, as Optuna draws them: the optimisation history (each complete trial's value and the
/// best so far), the intermediate values (the metric per epoch of every trial, pruned ones in grey: the
/// pruning picture) and the parameter importances (<see cref="ParameterImportance"/>); for a multi-objective study,
/// the Pareto front instead of the history and importances (every complete trial, the front highlighted and connected).
/// </summary>
/// <example>
/// <code>IReadOnlyList&lt;string&gt; files = StudyPlots.Save(study, trials, "out/");</code>
/// </example>
public static class StudyPlots
{
    private const int Width = 900, Height = 520;

    /// <summary>Writes the plots that have something to show into <paramref name="directory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Save(StudyDefinition study, IReadOnlyList<TrialRecord> trials, string directory)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trials);
        var written = new List<string>();
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is not null).OrderBy(t => t.Number).ToList();
        if (study.IsMultiObjective)
        {
            if (ParetoFront.Complete(trials, study.AllObjectives.Count).Count > 0)
                written.Add(Save(Front(study, trials), Path.Combine(directory, "pareto_front.png")));
            if (trials.Any(t => t.Intermediate.Count > 0))
                written.Add(Save(Intermediate(study, trials), Path.Combine(directory, "intermediate_values.png")));
            return written;
        }
        if (complete.Count > 0)
            written.Add(Save(History(study, complete), Path.Combine(directory, "optimization_history.png")));
        if (trials.Any(t => t.Intermediate.Count > 0))
            written.Add(Save(Intermediate(study, trials), Path.Combine(directory, "intermediate_values.png")));
        var importances = ParameterImportance.Compute(study.SearchSpace(), trials);
        if (importances.Count > 0)
            written.Add(Save(Importances(complete.Count, importances), Path.Combine(directory, "parameter_importances.png")));
        return written;
    }

    private static Plot History(StudyDefinition study, List<TrialRecord> complete)
    {
        var plot = PlotStyle.NewPlot();
        var numbers = complete.Select(t => (double)t.Number).ToArray();
        var values = complete.Select(t => t.Value!.Value).ToArray();
        var dots = plot.Add.ScatterPoints(numbers, values, PlotStyle.Palette.GetColor(0));
        dots.LegendText = "complete trial";
        var best = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
            best[i] = i == 0 ? values[0] : study.Maximize ? Math.Max(best[i - 1], values[i]) : Math.Min(best[i - 1], values[i]);
        var line = plot.Add.ScatterLine(numbers, best, PlotStyle.Palette.GetColor(3));
        line.ConnectStyle = ConnectStyle.StepHorizontal;
        line.LegendText = "best so far";
        plot.Title($"Optimisation history of {study.Name} ({study.Sampler})");
        plot.XLabel("trial");
        plot.YLabel(study.ReportedMetric);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    // The first two objectives: the second across, the first up (accuracy against latency reads as a trade-off curve).
    private static Plot Front(StudyDefinition study, IReadOnlyList<TrialRecord> trials)
    {
        var plot = PlotStyle.NewPlot();
        var complete = ParetoFront.Complete(trials, study.AllObjectives.Count);
        var front = ParetoFront.Of(trials, study.AllObjectives).OrderBy(t => t.Values![1]).ToList();
        var others = complete.Except(front).ToList();
        if (others.Count > 0)
        {
            var dominated = plot.Add.ScatterPoints(others.Select(t => t.Values![1]).ToArray(), others.Select(t => t.Values![0]).ToArray(), PlotStyle.Chance);
            dominated.LegendText = "dominated trial";
        }
        var line = plot.Add.Scatter(front.Select(t => t.Values![1]).ToArray(), front.Select(t => t.Values![0]).ToArray(), PlotStyle.Palette.GetColor(3));
        line.LegendText = "Pareto front";
        line.MarkerSize = 9;
        foreach (var t in front)
            plot.Add.Text($"{t.Number}", t.Values![1], t.Values[0]);
        var (first, second) = (study.AllObjectives[0], study.AllObjectives[1]);
        plot.Title($"Pareto front of {study.Name}: {front.Count} of {complete.Count} complete trials" + (study.AllObjectives.Count > 2 ? $" (first 2 of {study.AllObjectives.Count} objectives)" : ""));
        plot.XLabel($"{second.Metric} ({second.Direction})");
        plot.YLabel($"{first.Metric} ({first.Direction})");
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    private static Plot Intermediate(StudyDefinition study, IReadOnlyList<TrialRecord> trials)
    {
        var plot = PlotStyle.NewPlot();
        foreach (var trial in trials.Where(t => t.Intermediate.Count > 0))
        {
            var points = trial.Intermediate.OrderBy(p => p.Key).ToArray();
            var color = trial.State == TrialState.Pruned ? PlotStyle.Chance : PlotStyle.Palette.GetColor(trial.Number % 10);
            plot.Add.Scatter(points.Select(p => (double)p.Key).ToArray(), points.Select(p => p.Value).ToArray(), color);
        }
        var pruned = trials.Count(t => t.State == TrialState.Pruned);
        plot.Title($"Intermediate values: {trials.Count} trials, {pruned} pruned (grey)");
        plot.XLabel("epoch");
        plot.YLabel(study.ReportedMetric);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    private static Plot Importances(int completeCount, IReadOnlyList<(string Name, double Share)> importances)
    {
        var plot = PlotStyle.NewPlot();
        var ordered = importances.Reverse().ToArray(); // largest at the top
        var bars = plot.Add.Bars(ordered.Select(i => i.Share).ToArray());
        bars.Horizontal = true;
        plot.Axes.Left.SetTicks(Enumerable.Range(0, ordered.Length).Select(i => (double)i).ToArray(), ordered.Select(i => i.Name).ToArray());
        plot.Title($"Parameter importances (η², each alone, {completeCount} complete trials)");
        plot.XLabel("share of the value's variance explained");
        return plot;
    }

    private static string Save(Plot plot, string path)
    {
        PlotStyle.Save(file => plot.SavePng(file, Width, Height), path);
        return path;
    }
}
