namespace Anvil.Training.Training.Callbacks;

/// <summary>Stops training the moment the loss becomes NaN or infinite, and marks the fit diverged.</summary>
/// <example>
/// <code>new Trainer(model, recipe, [new NanGuard()])</code>
/// </example>
public sealed class NanGuard : Callback
{
    public override void OnBatchEnd(TrainingContext context, int batch, double loss)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (double.IsFinite(loss))
            return;
        context.StopTraining = true;
        context.Diverged = true;
        context.StopReason = $"loss became {loss} at epoch {context.Epoch}, batch {batch + 1}: lower the learning rate (now {context.Recipe.LearningRate}) or check the inputs for NaN";
    }
}
