using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Training;

namespace Anvil.Training.Runs;

/// <summary>What to train: data, recipe, run name and limits.</summary>
/// <param name="Source">Where the data comes from.</param>
/// <param name="Recipe">How to train.</param>
/// <param name="Name">Run name; null names it MODEL-DATA.</param>
/// <param name="Limits">Sample limit and early-stopping patience.</param>
/// <param name="ModelGiven">False when nobody chose the recipe's model: the data's input kind then picks it (vgg-small for images, mlp for feature vectors).</param>
/// <param name="Added">Samples trained on beside the source's training split (a retrain's feedback); null for none.</param>
/// <param name="EditSpec">Changes the resolved model spec before the model is built (a tuning trial's spec fields); null for none.</param>
/// <example>
/// <code>var request = new RunRequest(new DataSource("iris.csv", LabelColumn: "species"), Recipe.Default, null, new TrainingLimits(null, 3), ModelGiven: false);</code>
/// </example>
public sealed record RunRequest(DataSource Source, Recipe Recipe, string? Name, TrainingLimits Limits, bool ModelGiven = true, AddedSamples? Added = null, Func<ModelSpec, ModelSpec>? EditSpec = null);
