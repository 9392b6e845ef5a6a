using Anvil.Training.Data;
using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>
/// What the task decides in a training loop: the loss of a batch and the named figures of an epoch.
/// <see cref="Trainer"/> stays the same for every task; <see cref="For"/> picks the step from the
/// data's <see cref="TaskKind"/>; a step that needs more than the task (<see cref="DistillationStep"/>
/// and its teacher) is handed to the trainer instead.
/// </summary>
/// <example>
/// <code>
/// var step = ITrainingStep.For(TaskKind.Regression, recipe);
/// var loss = step.Loss(x, model.forward(x), y);   // scalar
/// </code>
/// </example>
public interface ITrainingStep
{
    /// <summary>The batch loss to back-propagate, a scalar.</summary>
    /// <param name="inputs">(B, ...) the batch the outputs came from, as the model saw it (a distillation step runs its teacher on it).</param>
    /// <param name="outputs">(B, K) model outputs.</param>
    /// <param name="targets">(B) int64 labels or (B, K) float32 values.</param>
    Tensor Loss(Tensor inputs, Tensor outputs, Tensor targets);

    /// <summary>Adds one batch to the epoch's training figures.</summary>
    void Update(Tensor outputs, Tensor targets);

    /// <summary>The epoch's training figures by name (e.g. <c>accuracy</c>, <c>mae</c>), then starts over.</summary>
    IReadOnlyDictionary<string, double> Compute();

    /// <summary>Mean loss and named figures (prefixed <c>val_</c>) of a whole validation split, in inference mode.</summary>
    (double Loss, IReadOnlyDictionary<string, double> Metrics) Validate(SpecModel model, TensorDataset data);

    /// <summary>The step for a task: cross-entropy with the recipe's label smoothing and accuracy for classification; MSE with MAE and RMSE for regression.</summary>
    static ITrainingStep For(TaskKind task, Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return task switch
        {
            TaskKind.Classification => new ClassificationStep(recipe.LabelSmoothing),
            TaskKind.Regression => new RegressionStep(),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task; use classification or regression."),
        };
    }
}
