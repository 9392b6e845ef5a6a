using Anvil.Training.Data;
using Anvil.Training.Models;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
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

    /// <summary>The optimizer of the model the trainer trains; the learning-rate schedule peaks at its rate. A GAN's generator takes its own settings.</summary>
    OptimizerHelper CreateOptimizer(SpecModel model, Recipe recipe) => OptimizerFactory.Create(model, recipe);

    /// <summary>
    /// One optimisation step on a batch: by default forward, <see cref="Loss"/>, backward, step and <see cref="Update"/>.
    /// A step that trains more than one network (<see cref="GanStep"/>) does all of its updates here.
    /// </summary>
    /// <param name="model">The model the trainer trains.</param>
    /// <param name="optimizer">Its optimizer, from <see cref="CreateOptimizer"/>.</param>
    /// <param name="inputs">(B, ...) the augmented batch.</param>
    /// <param name="targets">(B) labels or (B, K) values.</param>
    /// <param name="random">The epoch's seeded generator, so a resumed run draws the same numbers.</param>
    /// <returns>The batch loss.</returns>
    float TrainBatch(SpecModel model, OptimizerHelper optimizer, Tensor inputs, Tensor targets, Generator random)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        optimizer.zero_grad();
        var outputs = model.forward(inputs); // (B, K)
        var loss = Loss(inputs, outputs, targets);
        loss.backward();
        optimizer.step();
        Update(outputs, targets);
        return loss.item<float>();
    }

    /// <summary>Writes what the step trains besides the model (a GAN's discriminator and its optimizer) into a checkpoint folder.</summary>
    void SaveState(string directory)
    {
    }

    /// <summary>Reads back what <see cref="SaveState"/> wrote.</summary>
    void RestoreState(string directory)
    {
    }

    /// <summary>The step for a task: cross-entropy with the recipe's label smoothing and accuracy for classification; MSE with MAE and RMSE for regression.</summary>
    static ITrainingStep For(TaskKind task, Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return task switch
        {
            TaskKind.Classification => new ClassificationStep(recipe.LabelSmoothing),
            TaskKind.Regression => new RegressionStep(),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task; use classification or regression (a generator is trained by a GanStep)."),
        };
    }
}
