using Anvil.Training.Training;

namespace Anvil.Training.Runs;

/// <summary>Records each finished epoch's named metrics through an <see cref="IRunRecorder"/>.</summary>
/// <example>
/// <code>new Trainer(model, recipe, [new EpochRecorder(recorder, run.Id)]);</code>
/// </example>
public sealed class EpochRecorder(IRunRecorder recorder, string runId) : Callback
{
    /// <inheritdoc />
    public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        recorder.LogEpoch(runId, metrics.Epoch, metrics.ToValues());
    }
}
