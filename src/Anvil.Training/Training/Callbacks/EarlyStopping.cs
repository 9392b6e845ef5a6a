namespace Anvil.Training.Training.Callbacks;

/// <summary>
/// Stops training when the monitored metric has not improved by at least <c>minDelta</c> for
/// <c>patience</c> epochs (Keras's EarlyStopping).
/// </summary>
/// <example>
/// <code>new EarlyStopping(monitor: "val_loss", patience: 3)</code>
/// </example>
public sealed class EarlyStopping : Callback
{
    private readonly string _monitor;
    private readonly int _patience;
    private readonly double _minDelta;
    private double _best;
    private int _wait;

    public EarlyStopping(string monitor = "val_loss", int patience = 3, double minDelta = 0)
    {
        MonitoredMetric.Validate(monitor);
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(minDelta);
        _monitor = monitor;
        _patience = patience;
        _minDelta = minDelta;
    }

    /// <summary>Best value seen so far.</summary>
    public double Best => _best;

    public override void OnTrainBegin(TrainingContext context)
    {
        _best = MonitoredMetric.Maximize(_monitor) ? double.NegativeInfinity : double.PositiveInfinity;
        _wait = 0;
    }

    public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        var value = MonitoredMetric.ReadRequired(_monitor, metrics, nameof(EarlyStopping));
        var improved = MonitoredMetric.Maximize(_monitor) ? value > _best + _minDelta : value < _best - _minDelta;
        if (improved)
        {
            _best = value;
            _wait = 0;
            return;
        }
        if (++_wait >= _patience)
        {
            context.StopTraining = true;
            context.StopReason = $"early stopping: {_monitor} did not improve on {_best:G4} for {_patience} epochs";
        }
    }
}
