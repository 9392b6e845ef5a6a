using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>Creates the recipe's optimizer over a model's parameters.</summary>
internal static class OptimizerFactory
{
    public static OptimizerHelper Create(nn.Module model, Recipe recipe) => recipe.Optimizer switch
    {
        "sgd" => optim.SGD(model.parameters(), recipe.LearningRate, momentum: recipe.Momentum, weight_decay: recipe.WeightDecay, nesterov: recipe.Nesterov && recipe.Momentum > 0),
        "adam" => optim.Adam(model.parameters(), recipe.LearningRate, weight_decay: recipe.WeightDecay),
        "adamw" => optim.AdamW(model.parameters(), recipe.LearningRate, weight_decay: recipe.WeightDecay),
        _ => throw new ArgumentException($"Unknown optimizer '{recipe.Optimizer}'. Use sgd, adam or adamw."),
    };

    public static void SetLearningRate(OptimizerHelper optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = learningRate;
    }
}
