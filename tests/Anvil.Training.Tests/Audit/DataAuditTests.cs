using Anvil.Training.Audit;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Runs;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Audit;

public sealed class DataAuditTests
{
    /// <summary>Three Gaussian blobs in 8 dimensions, 120 points each, 8.5 σ apart (a Bayes error near zero).</summary>
    private static (Tensor Features, long[] Labels) Blobs(int seed)
    {
        using var generator = new Generator((ulong)seed);
        var labels = Enumerable.Range(0, 360).Select(i => (long)(i % 3)).ToArray();
        var centres = tensor(new float[] { 6, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0 }).reshape(3, 8);
        var features = centres.index_select(0, tensor(labels)) + randn([360, 8], generator: generator);
        return (features, labels);
    }

    /// <summary>Logistic regression: it cannot carve a region around a mislabelled point, as a wide network trained long can.</summary>
    private static ModelSpec Linear() => new()
    {
        Name = "linear",
        InputShape = [8],
        ClassNames = ["a", "b", "c"],
        Layers = [new LayerSpec { Type = "dense" }],
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FlippedLabelsOfSeparableDataAreFoundThroughRealFolds(int seed)
    {
        var (features, truth) = Blobs(seed);
        var random = new Random(seed);
        var flipped = Enumerable.Range(0, truth.Length).OrderBy(_ => random.Next()).Take(18).ToHashSet(); // 5%
        var labels = truth.Select((label, i) => flipped.Contains(i) ? (label + 1 + random.Next(2)) % 3 : label).ToArray();
        using var data = new TensorDataset(features, tensor(labels), ["a", "b", "c"]);
        var recipe = new Recipe { Model = "mlp", Epochs = 30, BatchSize = 32, Optimizer = "adam", LearningRate = 1e-2, ValidationFraction = 0, Seed = seed };

        var report = DataAudit.Run(data, Linear(), recipe, new DataAuditOptions(Folds: 3), inputScale: 1);

        var flagged = report.Labels.Issues.Select(i => i.Index).ToHashSet();
        var found = flagged.Count(flipped.Contains);
        Assert.True(found >= 0.8 * flipped.Count, $"recall {found}/{flipped.Count}");
        Assert.True(found >= 0.8 * flagged.Count, $"precision {found}/{flagged.Count}, out-of-fold accuracy {report.OutOfFoldAccuracy}, noise {report.Labels.EstimatedNoiseRate}, thresholds {string.Join(",", report.Labels.Thresholds)}");
        Assert.All(report.Labels.Issues.Where(i => flipped.Contains(i.Index)), i => Assert.Equal(truth[i.Index], i.SuggestedLabel));
        Assert.InRange(report.OutOfFoldAccuracy, 0.85, 0.97); // right on the clean 95%, wrong on the flipped 5%
    }

    [Fact]
    public void ADuplicateAndAFarPointAreFound()
    {
        var (features, labels) = Blobs(seed: 3);
        features[7] = features[200].clone(); // the same point under two labels (7 % 3 = 1, 200 % 3 = 2)
        features[300] = full(8, 40f); // far from every blob
        using var data = new TensorDataset(features, tensor(labels), ["a", "b", "c"]);
        var recipe = new Recipe { Model = "mlp", Epochs = 3, BatchSize = 32, Optimizer = "adam", LearningRate = 1e-2, ValidationFraction = 0, Seed = 3 };

        var report = DataAudit.Run(data, ModelChoice.Resolve("mlp", data), recipe, new DataAuditOptions(Folds: 2), inputScale: 1);

        var pair = Assert.Single(report.NearDuplicates);
        Assert.Equal((7, 200), (pair.First, pair.Second));
        Assert.True(pair.LabelsDiffer);
        Assert.Equal(300, report.Outliers[0].Index);
    }

    [Fact]
    public void BadOptionsAndOneClassDataAreClearErrors()
    {
        var (features, _) = Blobs(seed: 4);
        using var data = new TensorDataset(features, zeros(360, dtype: ScalarType.Int64), ["a", "b"]);
        var recipe = new Recipe { Model = "mlp", Epochs = 1 };
        var spec = ModelChoice.Resolve("mlp", data);

        var one = Assert.Throws<ArgumentException>(() => DataAudit.Run(data, spec, recipe, new DataAuditOptions(), 1));
        Assert.Contains("at least two classes", one.Message, StringComparison.Ordinal);
        var folds = Assert.Throws<ArgumentException>(() => DataAudit.Run(data, spec, recipe, new DataAuditOptions(Folds: 1), 1));
        Assert.Contains("--folds 2 or more", folds.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => DataAudit.Run(data, spec, recipe, new DataAuditOptions(DuplicateDistance: 1.5), 1));
    }
}
