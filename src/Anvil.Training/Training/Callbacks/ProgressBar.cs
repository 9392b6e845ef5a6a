using System.Diagnostics;

namespace Anvil.Training.Training.Callbacks;

/// <summary>
/// Shows epochs, batches, loss, accuracy, throughput and ETA. On a terminal one line is redrawn
/// a few times a second; when output is redirected only one line per epoch is written.
/// </summary>
/// <example>
/// <code>new ProgressBar(Console.Error, interactive: !Console.IsErrorRedirected)</code>
/// </example>
public sealed class ProgressBar(TextWriter output, bool interactive) : Callback
{
    private const int Width = 24;
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch _total = new();
    private readonly Stopwatch _epoch = new();
    private TimeSpan _lastDraw;
    private double _lossSum;
    private int _batches;

    public override void OnTrainBegin(TrainingContext context) => _total.Restart();

    public override void OnEpochBegin(TrainingContext context)
    {
        _epoch.Restart();
        _lastDraw = TimeSpan.Zero;
        _lossSum = 0;
        _batches = 0;
    }

    public override void OnBatchEnd(TrainingContext context, int batch, double loss)
    {
        ArgumentNullException.ThrowIfNull(context);
        _lossSum += loss;
        _batches++;
        if (!interactive || _epoch.Elapsed - _lastDraw < Refresh)
            return;
        _lastDraw = _epoch.Elapsed;
        var done = batch + 1;
        var filled = Width * done / context.BatchesPerEpoch;
        var perBatch = _epoch.Elapsed / done;
        var eta = perBatch * (context.BatchesPerEpoch - done);
        var images = (double)done / context.BatchesPerEpoch * context.SampleCount / _epoch.Elapsed.TotalSeconds;
        output.Write($"\rEpoch {context.Epoch}/{context.Recipe.Epochs} [{new string('=', filled)}{new string(' ', Width - filled)}] {done}/{context.BatchesPerEpoch} loss {_lossSum / _batches:F4} {images:N0} img/s ETA {Format(eta)}   ");
    }

    public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(metrics);
        var remaining = context.Recipe.Epochs - context.Epoch;
        var epochsRun = context.Epoch - context.FirstEpoch + 1;
        var eta = _total.Elapsed / epochsRun * remaining;
        var validation = metrics.ValidationLoss is { } vl ? $" val_loss {vl:F4}{(metrics.ValidationAccuracy is { } va ? $" val_acc {va:P2}" : "")}" : "";
        var figures = string.Concat(metrics.TaskMetrics.Select(m => $" {m.Key} {m.Value:G4}"));
        var clear = interactive ? "\r" + new string(' ', 110) + "\r" : "";
        output.WriteLine($"{clear}Epoch {context.Epoch}/{context.Recipe.Epochs} loss {metrics.TrainLoss:F4}{(metrics.TrainAccuracy is { } acc ? $" acc {acc:P2}" : "")}{validation}{figures} lr {metrics.LearningRate:G3} {metrics.Seconds:F1}s {context.SampleCount / metrics.Seconds:N0} img/s ETA {Format(eta)}");
        output.Flush();
    }

    public override void OnTrainEnd(TrainingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.StopReason is { } reason)
            output.WriteLine($"Stopped: {reason}.");
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"m\:ss");
}
