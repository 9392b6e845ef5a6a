using Anvil.Training.Models;
using Anvil.Training.Training;
using Anvil.Training.Training.Callbacks;
using static TorchSharp.torch;

namespace Anvil.Training.Runs;

/// <summary>
/// What a fine-tuned model must beat (a recipe's <c>transfer.scratch</c>): the same network, from random
/// initialisation, trained by the same <see cref="Trainer"/> with the same recipe (epochs, schedule, batch size,
/// augmentation) on the same prepared images, every layer at the recipe's rate from the first epoch (freezing random
/// layers would only cripple it), and scored on the same test set as served.
/// </summary>
/// <example>
/// <code>var figures = ScratchBaseline.Compare(spec, recipe, data, Console.Error, interactive: true);   // scratch_test_accuracy, …</code>
/// </example>
internal static class ScratchBaseline
{
    /// <summary><c>scratch_test_accuracy</c>, <c>scratch_test_loss</c> and <c>scratch_train_seconds</c>; empty when cancelled.</summary>
    public static Dictionary<string, double> Compare(ModelSpec spec, Recipe recipe, PreparedData data, TextWriter progress, bool interactive, CancellationToken cancellationToken)
    {
        progress.WriteLine($"Training the same {spec.Name} from random initialisation ({recipe.Epochs} epoch{(recipe.Epochs == 1 ? "" : "s")}, same recipe) to compare…");
        manual_seed(recipe.Seed);
        using var model = ModelBuilder.Build(spec);
        var result = new Trainer(model, recipe with { Transfer = null }, [new NanGuard(), new ProgressBar(progress, interactive)]).Fit(data.Train, data.Validation, null, cancellationToken);
        if (result.Cancelled)
            return [];
        var report = TestEvaluation.Run(model, data.Test, testTimeAugmentation: false, progress, interactive).SingleView;
        progress.WriteLine($"From scratch: test accuracy {report.Accuracy:P2} after {result.Elapsed.TotalSeconds:F1}s of training.");
        return new Dictionary<string, double>
        {
            ["scratch_test_accuracy"] = report.Accuracy,
            ["scratch_test_loss"] = report.Loss,
            ["scratch_train_seconds"] = result.Elapsed.TotalSeconds,
        };
    }
}
