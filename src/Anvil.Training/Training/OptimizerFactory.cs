using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>Creates the recipe's optimizer over a model's parameters.</summary>
internal static class OptimizerFactory
{
    /// <summary>
    /// The recipe's optimizer. With transfer layer groups, one parameter group per layer group at its learning-rate
    /// factor, after a first group of the remaining layers (the head) at factor 1, whose rate the schedule follows.
    /// </summary>
    public static OptimizerHelper Create(nn.Module model, Recipe recipe)
    {
        if (recipe.Transfer is not { Groups.Count: > 0 } transfer || model is not Models.SpecModel specModel)
            return Create(model.parameters(), recipe);
        var groups = Transfer.LayerGroups.Split(specModel, transfer.Groups);
        var rate = recipe.LearningRate;
        return recipe.Optimizer switch
        {
            "sgd" => optim.SGD(groups.Select(g => new SGD.ParamGroup(g.Parameters, new SGD.Options { LearningRate = rate * g.Factor })), rate, momentum: recipe.Momentum, weight_decay: recipe.WeightDecay, nesterov: recipe.Nesterov && recipe.Momentum > 0),
            "adam" => optim.Adam(groups.Select(g => new Adam.ParamGroup(g.Parameters, new Adam.Options { LearningRate = rate * g.Factor })), rate, weight_decay: recipe.WeightDecay),
            "adamw" => optim.AdamW(groups.Select(g => new AdamW.ParamGroup(g.Parameters, new AdamW.Options { LearningRate = rate * g.Factor })), rate, weight_decay: recipe.WeightDecay),
            _ => throw new ArgumentException($"Unknown optimizer '{recipe.Optimizer}'. Use sgd, adam or adamw."),
        };
    }

    private static OptimizerHelper Create(IEnumerable<Parameter> parameters, Recipe recipe) => recipe.Optimizer switch
    {
        "sgd" => optim.SGD(parameters, recipe.LearningRate, momentum: recipe.Momentum, weight_decay: recipe.WeightDecay, nesterov: recipe.Nesterov && recipe.Momentum > 0),
        "adam" => optim.Adam(parameters, recipe.LearningRate, weight_decay: recipe.WeightDecay),
        "adamw" => optim.AdamW(parameters, recipe.LearningRate, weight_decay: recipe.WeightDecay),
        _ => throw new ArgumentException($"Unknown optimizer '{recipe.Optimizer}'. Use sgd, adam or adamw."),
    };

    public static void SetLearningRate(OptimizerHelper optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;
    }

    /// <summary>Sets group i's rate to <paramref name="learningRate"/> × <paramref name="factors"/>[i] (discriminative rates keep their ratios through the schedule).</summary>
    public static void SetLearningRate(OptimizerHelper optimizer, double learningRate, IReadOnlyList<double> factors)
    {
        var i = 0;
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate * factors[i++];
    }
}
