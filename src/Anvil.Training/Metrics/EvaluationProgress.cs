using System.Diagnostics;

namespace Anvil.Training.Metrics;

/// <summary>
/// Shows evaluation progress: on a terminal one redrawn line "Evaluating (single view) 3/10 batches
/// ETA 0:04"; when output is redirected one line when it starts. Test-time augmentation makes
/// evaluation ten times slower, so without this the user would wait in silence.
/// </summary>
/// <example>
/// <code>Evaluator.Evaluate(model, test, onBatch: new EvaluationProgress(Console.Error, true, "single view").Report);</code>
/// </example>
public sealed class EvaluationProgress(TextWriter output, bool interactive, string label)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch _clock = new();
    private TimeSpan _lastDraw;

    /// <summary>Announces the start; call before the first batch.</summary>
    public void Start(int samples)
    {
        _clock.Restart();
        _lastDraw = TimeSpan.Zero;
        output.Write($"Evaluating ({label}) on {samples:N0} test samples...{(interactive ? "" : Environment.NewLine)}");
        output.Flush();
    }

    /// <summary>Redraws the line after a batch (interactive only); ends it after the last batch.</summary>
    public void Report(int done, int total)
    {
        if (!interactive)
            return;
        if (done < total && _clock.Elapsed - _lastDraw < Refresh)
            return;
        _lastDraw = _clock.Elapsed;
        var eta = _clock.Elapsed / done * (total - done);
        output.Write($"\rEvaluating ({label}) {done}/{total} batches ETA {eta:m\\:ss}   ");
        if (done == total)
            output.WriteLine($"\rEvaluated ({label}) {total} batches in {_clock.Elapsed.TotalSeconds:F1}s.          ");
        output.Flush();
    }
}
