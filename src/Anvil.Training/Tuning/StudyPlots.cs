using PlotStyle = Anvil.Training.Plots.PlotStyle;
using ScottPlot;

namespace Anvil.Training.Tuning;

/// <summary>
/// A study's pictures, as Optuna draws them: the optimisation history (each complete trial's value and the
/// best so far), the intermediate values (the metric per epoch of every trial, pruned ones in grey: the
/// pruning picture) and the parameter importances (<see cref="ParameterImportance"/>).
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
        plot.YLabel(study.Metric);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
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
        plot.YLabel(study.Metric);
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
