using Anvil.Training.Training;

namespace Anvil.Training.Privacy;

/// <summary>Stops a DP-SGD fit before a step would spend more than its ε budget (a longer or resumed fit than the noise was chosen for).</summary>
public sealed class PrivacyBudget(DpSgdStep step) : Callback
{
    /// <inheritdoc />
    public override void OnBatchEnd(TrainingContext context, int batch, double loss)
    {
        ArgumentNullException.ThrowIfNull(context);
        var budget = step.Options.Epsilon!.Value;
        var last = context.Epoch == context.Recipe.Epochs && batch == context.BatchesPerEpoch - 1;
        if (last || step.EpsilonAfter(step.Steps + 1) <= budget * (1 + 1e-9))
            return;
        context.StopTraining = true;
        context.StopReason = $"privacy budget reached: one more step would spend more than ε = {budget} (spent {step.EpsilonSpent:F3} in {step.Steps:N0} steps)";
    }
}
