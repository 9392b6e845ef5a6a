namespace Anvil.Training.Tuning;

/// <summary>Where a study stands: its best complete trial and what its trials cost. The last line of <c>anvil tune --json</c>.</summary>
/// <example>
/// <code>var summary = StudySummary.From(study, storage.Trials(), runId => (Seconds: 0, Epochs: 0));</code>
/// </example>
public sealed record StudySummary
{
    /// <summary>The study's name.</summary>
    public required string Study { get; init; }
    /// <summary>The metric judged, e.g. val_accuracy.</summary>
    public required string Metric { get; init; }
    /// <summary>A multi-objective study's objectives (metric names, in order); null for one objective.</summary>
    public IReadOnlyList<string>? Objectives { get; init; }
    /// <summary>A multi-objective study's non-dominated complete trials, by number; null for one objective.</summary>
    public IReadOnlyList<ParetoPoint>? ParetoFront { get; init; }
    /// <summary>The best complete trial's value; null before any trial completed, and for several objectives.</summary>
    public double? BestValue { get; init; }
    /// <summary>The best complete trial's number.</summary>
    public int? BestTrial { get; init; }
    /// <summary>The best complete trial's run.</summary>
    public string? BestRunId { get; init; }
    /// <summary>Trials trained to the end.</summary>
    public int TrialsComplete { get; init; }
    /// <summary>Trials the pruner stopped.</summary>
    public int TrialsPruned { get; init; }
    /// <summary>Trials that failed or diverged.</summary>
    public int TrialsFailed { get; init; }
    /// <summary>Trials still leased (or whose worker died and whose lease has not lapsed yet).</summary>
    public int TrialsRunning { get; init; }
    /// <summary>Seconds of training (every epoch of every trial's run, validation included): what pruning saves.</summary>
    public double TrainSecondsTotal { get; init; }
    /// <summary>Epochs trained by every trial's run: what pruning saves, free of the machine's load (seconds are not).</summary>
    public int EpochsTrainedTotal { get; init; }

    /// <summary>The summary of <paramref name="trials"/>; <paramref name="cost"/> gives a run's training seconds and epochs.</summary>
    public static StudySummary From(StudyDefinition study, IReadOnlyList<TrialRecord> trials, Func<string, (double Seconds, int Epochs)> cost)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(cost);
        var costs = trials.Where(t => t.RunId is not null).Select(t => cost(t.RunId!)).ToList();
        var best = study.IsMultiObjective ? null : Best(trials, study.Maximize);
        return new StudySummary
        {
            Study = study.Name,
            Metric = study.ReportedMetric,
            Objectives = study.IsMultiObjective ? study.AllObjectives.Select(g => g.Metric).ToList() : null,
            ParetoFront = study.IsMultiObjective ? Front(study, trials) : null,
            BestValue = best?.Value,
            BestTrial = best?.Number,
            BestRunId = best?.RunId,
            TrialsComplete = trials.Count(t => t.State == TrialState.Complete),
            TrialsPruned = trials.Count(t => t.State == TrialState.Pruned),
            TrialsFailed = trials.Count(t => t.State == TrialState.Failed),
            TrialsRunning = trials.Count(t => t.State == TrialState.Running),
            TrainSecondsTotal = costs.Sum(c => c.Seconds),
            EpochsTrainedTotal = costs.Sum(c => c.Epochs),
        };
    }

    /// <summary>The Pareto front of a multi-objective study's complete trials, by trial number.</summary>
    public static IReadOnlyList<ParetoPoint> Front(StudyDefinition study, IReadOnlyList<TrialRecord> trials)
    {
        ArgumentNullException.ThrowIfNull(study);
        return Tuning.ParetoFront.Of(trials, study.AllObjectives).Select(t => new ParetoPoint(t.Number, t.RunId, t.Values!)).ToList();
    }

    /// <summary>The best complete trial (the earliest of equals), or null when none completed.</summary>
    public static TrialRecord? Best(IReadOnlyList<TrialRecord> trials, bool maximize)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var complete = trials.Where(t => t.State == TrialState.Complete && t.Value is not null).OrderBy(t => t.Number);
        return maximize ? complete.MaxBy(t => t.Value) : complete.MinBy(t => t.Value);
    }
}
