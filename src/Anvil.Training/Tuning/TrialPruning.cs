using Anvil.Training.Training;

namespace Anvil.Training.Tuning;

/// <summary>
/// The trial's side of the Trainer: after each epoch it reads the study's metric, reports it (the
/// registry records it and renews the trial's lease), asks the pruner, and stops training with a flag
/// when the pruner says so or the report says the lease was lost to another worker.
/// </summary>
/// <example>
/// <code>
/// var pruning = new TrialPruning(trial, "val_accuracy", new MedianPruner(true), others: () => storage.Trials(), report: (e, v) => true);
/// new Trainer(model, recipe, [pruning]).Fit(train, validation);
/// </code>
/// </example>
public sealed class TrialPruning(TrialRecord trial, string metric, IPruner? pruner,
    Func<IReadOnlyList<TrialRecord>> others, Func<int, double, bool> report) : Callback, IEndsWithoutTest
{
    private readonly Dictionary<int, double> _curve = new(trial.Intermediate);

    /// <summary>The metric after each epoch, including epochs reported before a resume.</summary>
    public IReadOnlyDictionary<int, double> Curve => _curve;

    /// <summary>The metric at the last epoch reported, before a resume too; null before the first.</summary>
    public double? LastValue => _curve.Count == 0 ? null : _curve[_curve.Keys.Max()];

    /// <summary>Every figure of the last epoch trained in this process (a multi-objective study reads several); empty before the first.</summary>
    public IReadOnlyDictionary<string, double> LastEpoch { get; private set; } = new Dictionary<string, double>();

    /// <summary>True when the pruner stopped the trial.</summary>
    public bool Pruned { get; private set; }

    /// <inheritdoc />
    public bool EndsWithoutTest => Pruned;

    /// <summary>True when another worker took the trial over; its result is no longer this worker's to record.</summary>
    public bool LeaseLost { get; private set; }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(metrics);
        var values = metrics.ToValues();
        if (!values.TryGetValue(metric, out var value))
            throw new ArgumentException($"The study's metric '{metric}' is not among this training's validation figures ({string.Join(", ", values.Keys.Where(k => k.StartsWith("val_", StringComparison.Ordinal)))}); set the study's \"metric\" to one of them.");
        _curve[metrics.Epoch] = value;
        LastEpoch = values;
        if (!report(metrics.Epoch, value))
        {
            LeaseLost = true;
            context.StopTraining = true;
            context.StopReason = $"trial {trial.Number}'s lease was taken over by another worker";
            return;
        }
        var current = trial with { Intermediate = _curve };
        if (pruner is not null && metrics.Epoch < context.Recipe.Epochs && pruner.ShouldPrune(metrics.Epoch, current, others()))
        {
            Pruned = true;
            context.StopTraining = true;
            context.StopReason = $"pruned at epoch {metrics.Epoch}: {metric} {value:G4} is behind the other trials";
        }
    }
}
