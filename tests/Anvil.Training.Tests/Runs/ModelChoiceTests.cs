using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Runs;
using Anvil.Training.Tests.Support;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Runs;

/// <summary>A spec file passed with --model states its architecture; what the data says is filled in from the data.</summary>
public sealed class ModelChoiceTests
{
    private const string LayersOnly = """{"layers": [{"type": "dense", "units": 8, "activation": "relu"}, {"type": "dense"}]}""";

    private static TensorDataset Features() => new(rand(10, 4), tensor(new long[] { 0, 1, 2, 0, 1, 2, 0, 1, 2, 0 }), ["a", "b", "c"]);

    [Fact]
    public void ASpecFileWithOnlyLayersTakesItsInputShapeClassNamesAndNameFromTheData()
    {
        using var temp = new TempDirectory();
        using var data = Features();

        var spec = ModelChoice.Resolve(temp.Write("wide-mlp.json", LayersOnly), data);

        Assert.Equal([4], spec.InputShape);
        Assert.Equal(["a", "b", "c"], spec.ClassNames);
        Assert.Equal("wide-mlp", spec.Name);
        Assert.Equal(TaskKind.Classification, spec.Head);
        using var model = ModelBuilder.Build(spec);
        Assert.Contains("\"input_shape\"", spec.ToJson()); // what a run's artifacts store stays complete
        Assert.Contains("\"class_names\"", spec.ToJson());
    }

    [Fact]
    public void ASpecFileWithoutAHeadTakesTheDatasTask()
    {
        using var temp = new TempDirectory();
        using var data = TensorDataset.Regression(rand(10, 6, 1), rand(10, 3), ["t+1", "t+2", "t+3"]);

        var spec = ModelChoice.Resolve(temp.Write("series.json", """{"layers": [{"type": "gru", "units": 4, "return_sequences": true}, {"type": "flatten"}, {"type": "dense"}]}"""), data);

        Assert.Equal(TaskKind.Regression, spec.Head);
        Assert.Equal([6, 1], spec.InputShape);
        Assert.Equal(InputKinds.Series, InputKinds.Of(spec));
    }

    [Fact]
    public void ATokenSpecFileWithoutInputKindReadsTokenIds()
    {
        using var temp = new TempDirectory();
        using var data = new TensorDataset(tensor(new long[] { 2, 3, 0, 4, 5, 6, 2, 0, 0, 3, 3, 3 }, [4, 3]), tensor(new long[] { 0, 1, 0, 1 }), ["ham", "spam"]);
        var path = temp.Write("embed.json", """{"layers": [{"type": "embedding", "vocabulary_size": 10, "units": 4}, {"type": "sequence_pool", "pooling": "mean"}, {"type": "dense"}]}""");

        var spec = ModelChoice.Resolve(path, data, vocabularySize: 10);

        Assert.Equal(InputKinds.Tokens, spec.InputKind);
        Assert.Equal([3], spec.InputShape);
    }

    [Fact]
    public void StatedClassNamesMustStillMatchTheData()
    {
        using var temp = new TempDirectory();
        using var data = Features();
        var path = temp.Write("wrong.json", """{"class_names": ["x", "y", "z"], "layers": [{"type": "dense"}]}""");

        var error = Assert.Throws<ArgumentException>(() => ModelChoice.Resolve(path, data));

        Assert.Contains("make the spec's input_shape and class_names match", error.Message);
        Assert.Contains("classes [a, b, c]", error.Message);
    }

    [Fact]
    public void StatedInputShapeMustStillMatchTheData()
    {
        using var temp = new TempDirectory();
        using var data = Features();
        var path = temp.Write("wrong.json", """{"input_shape": [5], "layers": [{"type": "dense"}]}""");

        var error = Assert.Throws<ArgumentException>(() => ModelChoice.Resolve(path, data));

        Assert.Contains("expects input [5]", error.Message);
    }
}
