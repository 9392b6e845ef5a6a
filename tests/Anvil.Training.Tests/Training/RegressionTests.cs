using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Training;

public class RegressionTests
{
    // y = x·W for a fixed W: a linear model can fit it exactly, so the error must become small.
    private static TensorDataset LinearTargets(int count, int seed)
    {
        using var generator = new Generator((ulong)seed);
        var features = randn([count, 3], generator: generator); // (N, 3)
        using var weights = tensor(new[] { 1f, -2f, 0.5f, 2f, 1f, -1f }, [3, 2]);
        return TensorDataset.Regression(features, features.matmul(weights), ["a", "b"]); // targets (N, 2)
    }

    [Fact]
    public void TrainerFitsFloatTargetsWithMeanSquaredErrorAndReportsMaeAndRmse()
    {
        using var train = LinearTargets(256, seed: 1);
        using var validation = LinearTargets(64, seed: 2);
        manual_seed(0);
        using var model = ModelBuilder.Build(new ModelSpec { Name = "linear", InputShape = [3], ClassNames = ["a", "b"], Layers = [new LayerSpec { Type = "dense" }] });
        var recipe = new Recipe { Epochs = 40, BatchSize = 32, Optimizer = "adam", LearningRate = 0.05, ValidationFraction = 0, Seed = 3 };

        var result = new Trainer(model, recipe).Fit(train, validation);

        var (first, last) = (result.History[0], result.History[^1]);
        Assert.Null(last.TrainAccuracy);
        Assert.Null(last.ValidationAccuracy);
        Assert.True(last.TaskMetrics["mae"] < first.TaskMetrics["mae"], "training MAE should fall");
        Assert.True(last.TaskMetrics["val_mae"] < 0.05, $"validation MAE {last.TaskMetrics["val_mae"]}");
        // Oracles: RMSE is the root of the MSE loss; MAE recomputed here from the model's predictions.
        Assert.Equal(Math.Sqrt(last.ValidationLoss!.Value), last.TaskMetrics["val_rmse"], 9);
        model.eval();
        using var error = model.forward(validation.Features).sub(validation.Targets).abs().mean();
        Assert.Equal(error.item<float>(), last.TaskMetrics["val_mae"], 5);
        Assert.Equal(last.TaskMetrics["val_mae"], last.ToValues()["val_mae"]);
    }

    [Fact]
    public void RegressionDataSetHasTargetNamesButNoClasses()
    {
        using var data = LinearTargets(8, seed: 1);

        Assert.Equal(TaskKind.Regression, data.Task);
        Assert.Equal(["a", "b"], data.TargetNames);
        var error = Assert.Throws<InvalidOperationException>(() => data.ClassNames);
        Assert.Contains("TargetNames", error.Message);
        using var half = data.Subset(arange(4));
        Assert.Equal(TaskKind.Regression, half.Task);
        Assert.Equal(new long[] { 4, 2 }, half.Targets.shape);
    }

    [Fact]
    public void ClassificationDataGetsTheCrossEntropyStepAndRegressionTheSquaredErrorStep()
    {
        Assert.IsType<ClassificationStep>(ITrainingStep.For(TaskKind.Classification, Recipe.Default));
        Assert.IsType<RegressionStep>(ITrainingStep.For(TaskKind.Regression, Recipe.Default));
    }
}
