namespace Anvil.Training.Training;

/// <summary>What one epoch of training measured. Validation figures are null when no validation split is used.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="TrainAccuracy">Fraction of training samples classified correctly during the epoch (augmented inputs).</param>
/// <param name="ValidationLoss">Mean loss on the validation split.</param>
/// <param name="ValidationAccuracy">Fraction of the validation split classified correctly.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    double Seconds)
{
    /// <summary>TorchSharp tensors alive on the training thread at the end of the epoch; flat across epochs when nothing leaks.</summary>
    public long LiveTensors { get; init; }

    /// <summary>
    /// The epoch's figures by the names every consumer uses (run log, early stopping, checkpoints):
    /// loss, accuracy, learning_rate, seconds, live_tensors, and val_loss / val_accuracy with validation.
    /// </summary>
    public IReadOnlyDictionary<string, double> ToValues()
    {
        var values = new Dictionary<string, double>
        {
            ["loss"] = TrainLoss,
            ["accuracy"] = TrainAccuracy,
            ["learning_rate"] = LearningRate,
            ["seconds"] = Seconds,
            ["live_tensors"] = LiveTensors,
        };
        if (ValidationLoss is { } loss)
            values["val_loss"] = loss;
        if (ValidationAccuracy is { } accuracy)
            values["val_accuracy"] = accuracy;
        return values;
    }
}
