namespace Anvil.Training.Training;

/// <summary>What one epoch of training measured. Validation figures are null when no validation split is used.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="TrainLoss">Mean training loss over the epoch's batches.</param>
/// <param name="TrainAccuracy">Fraction of training samples classified correctly during the epoch (augmented inputs); null when the task is not classification.</param>
/// <param name="ValidationLoss">Mean loss on the validation split.</param>
/// <param name="ValidationAccuracy">Fraction of the validation split classified correctly.</param>
/// <param name="LearningRate">Learning rate at the end of the epoch.</param>
/// <param name="Seconds">Wall time of the epoch, validation included.</param>
public sealed record EpochMetrics(
    int Epoch,
    double TrainLoss,
    double? TrainAccuracy,
    double? ValidationLoss,
    double? ValidationAccuracy,
    double LearningRate,
    double Seconds)
{
    /// <summary>TorchSharp tensors alive on the training thread at the end of the epoch; flat across epochs when nothing leaks.</summary>
    public long LiveTensors { get; init; }

    /// <summary>The task's other named figures, e.g. <c>mae</c>, <c>val_mae</c> and <c>val_rmse</c> for regression; empty for classification.</summary>
    public IReadOnlyDictionary<string, double> TaskMetrics { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// The epoch's figures by the names every consumer uses (run log, early stopping, checkpoints):
    /// loss, learning_rate, seconds, live_tensors, val_loss with validation, and the task's figures
    /// (accuracy and val_accuracy for classification; mae, val_mae and val_rmse for regression).
    /// </summary>
    public IReadOnlyDictionary<string, double> ToValues()
    {
        var values = new Dictionary<string, double>
        {
            ["loss"] = TrainLoss,
            ["learning_rate"] = LearningRate,
            ["seconds"] = Seconds,
            ["live_tensors"] = LiveTensors,
        };
        if (ValidationLoss is { } loss)
            values["val_loss"] = loss;
        if (TrainAccuracy is { } accuracy)
            values["accuracy"] = accuracy;
        if (ValidationAccuracy is { } validationAccuracy)
            values["val_accuracy"] = validationAccuracy;
        foreach (var (name, value) in TaskMetrics)
            values[name] = value;
        return values;
    }
}
