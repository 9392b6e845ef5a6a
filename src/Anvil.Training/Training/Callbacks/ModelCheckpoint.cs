namespace Anvil.Training.Training.Callbacks;

/// <summary>
/// After every epoch saves a resumable <see cref="Checkpoint"/> to <c>last/</c>, and the weights
/// that scored best on the monitored metric to <c>best.weights</c> (the EMA weights when EMA is on).
/// </summary>
/// <example>
/// <code>new ModelCheckpoint(Path.Combine(runDir, "checkpoints"), monitor: "val_accuracy")</code>
/// </example>
public sealed class ModelCheckpoint : Callback
{
    private readonly string _directory;
    private readonly string _monitor;
    private double _best;

    public ModelCheckpoint(string directory, string monitor = "val_loss")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        MonitoredMetric.Validate(monitor);
        _directory = directory;
        _monitor = monitor;
    }

    /// <summary>Where the resumable checkpoint of the last finished epoch lives.</summary>
    public string LastDirectory => Path.Combine(_directory, "last");

    /// <summary>Weights of the best epoch so far.</summary>
    public string BestWeightsPath => Path.Combine(_directory, "best.weights");

    public override void OnTrainBegin(TrainingContext context)
    {
        Directory.CreateDirectory(_directory);
        _best = MonitoredMetric.Maximize(_monitor) ? double.NegativeInfinity : double.PositiveInfinity;
        ArgumentNullException.ThrowIfNull(context);
        foreach (var previous in context.History)
            Improved(previous);
    }

    public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Diverged)
            return; // keep the last good checkpoint
        Checkpoint.Save(LastDirectory, context);
        if (Improved(metrics))
            (context.Ema?.Model ?? context.Model).save(BestWeightsPath);
    }

    private bool Improved(EpochMetrics metrics)
    {
        var value = MonitoredMetric.ReadRequired(_monitor, metrics, nameof(ModelCheckpoint));
        var improved = MonitoredMetric.Maximize(_monitor) ? value > _best : value < _best;
        if (improved)
            _best = value;
        return improved;
    }
}
