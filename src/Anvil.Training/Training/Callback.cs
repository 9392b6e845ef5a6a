namespace Anvil.Training.Training;

/// <summary>
/// Hooks into the training loop, as Keras callbacks do. Override what you need; to stop
/// training set <see cref="TrainingContext.StopTraining"/> (a flag, not an exception).
/// </summary>
/// <example>
/// <code>
/// sealed class PrintLoss : Callback
/// {
///     public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics) => Console.WriteLine(metrics.TrainLoss);
/// }
/// </code>
/// </example>
public abstract class Callback
{
    public virtual void OnTrainBegin(TrainingContext context) { }
    public virtual void OnEpochBegin(TrainingContext context) { }
    /// <summary>After each optimizer step; <paramref name="loss"/> is that batch's loss.</summary>
    public virtual void OnBatchEnd(TrainingContext context, int batch, double loss) { }
    public virtual void OnEpochEnd(TrainingContext context, EpochMetrics metrics) { }
    public virtual void OnTrainEnd(TrainingContext context) { }
}
