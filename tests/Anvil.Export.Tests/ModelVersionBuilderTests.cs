using Anvil.Export.Tests.Support;
using Anvil.Registry.Versions;
using Anvil.Training.Data;
using Anvil.Training.Models;

namespace Anvil.Export.Tests;

public sealed class ModelVersionBuilderTests
{
    private static readonly ModelOrigin Origin = new(RunId: null, DatasetHash: null, Metrics: new Dictionary<string, double>());

    [Theory]
    [InlineData("tokens", "int64", new long[] { -1, -1 })]
    [InlineData("series", "float32", new long[] { -1, -1, 3 })]
    [InlineData("image", "float32", new long[] { -1, 1, 28, 28 })]
    public void ManifestDescribesTheGraphInputOfEachInputKind(string kind, string dtype, long[] shape)
    {
        var spec = kind switch
        {
            "tokens" => SequenceModels.Text(LayerTypes.Lstm),
            "series" => SequenceModels.Series(LayerTypes.Gru),
            _ => TestModels.Spec("seed-cnn"),
        };

        var manifest = ModelVersionBuilder.Manifest(spec, Origin, new Dictionary<string, string>());

        Assert.Equal(kind, manifest.Preprocessing.Kind);
        var input = Assert.Single(manifest.Signature.Inputs);
        Assert.Equal(dtype, input.Dtype);
        Assert.Equal(shape, input.Shape);
    }

    [Fact]
    public void ACsvModelsManifestListsItsColumnsWithTheCleaningFittedOnTrainingRows()
    {
        var spec = new ModelSpec
        {
            Name = "mlp",
            InputShape = [2],
            ClassNames = ["no", "yes"],
            Layers = [new() { Type = LayerTypes.Dense }],
        };
        var policy = new CsvPolicy
        {
            LabelColumn = "bought",
            FeatureColumns = ["age", "income"],
            ClassNames = ["no", "yes"],
            Fitted = [new CsvFittedColumn("age", Fill: 38.5, Lower: null, Upper: null), new CsvFittedColumn("income", Fill: null, Lower: 0, Upper: 250_000)],
        };

        var manifest = ModelVersionBuilder.Manifest(spec, Origin, new Dictionary<string, string>(), policy);

        Assert.Equal(
            [new ModelColumn("age", 38.5, null, null), new ModelColumn("income", null, 0, 250_000)],
            manifest.Preprocessing.Columns);
        Assert.Null(ModelVersionBuilder.Manifest(spec, Origin, new Dictionary<string, string>()).Preprocessing.Columns);
    }
}
