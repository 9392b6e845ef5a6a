using Anvil.Registry.Runs;
using Anvil.Training.Training;

namespace Anvil.Cli.Pipeline;

/// <summary>Records each finished epoch's metrics in the registry (the bridge from Training to Registry).</summary>
internal sealed class RunLogger(IRunStore store, string runId) : Callback
{
    public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        var values = new Dictionary<string, double>
        {
            ["loss"] = metrics.TrainLoss,
            ["accuracy"] = metrics.TrainAccuracy,
            ["learning_rate"] = metrics.LearningRate,
            ["seconds"] = metrics.Seconds,
            ["live_tensors"] = metrics.LiveTensors,
        };
        if (metrics.ValidationLoss is { } loss)
            values["val_loss"] = loss;
        if (metrics.ValidationAccuracy is { } accuracy)
            values["val_accuracy"] = accuracy;
        store.LogEpoch(runId, metrics.Epoch, values);
    }
}
