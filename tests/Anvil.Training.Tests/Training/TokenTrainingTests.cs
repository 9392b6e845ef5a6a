using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Runs;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Training;

/// <summary>Token ids (N, T) int64 go through the same data set, split, preparation and trainer as images.</summary>
public class TokenTrainingTests
{
    private const int Vocabulary = 10;

    // Class 1 texts hold token 7 somewhere; class 0 texts never do. Lengths vary, the rest is padding (0).
    private static TensorDataset Tokens(int count, int length = 12, int seed = 0)
    {
        var random = new Random(seed);
        var ids = new long[count * length];
        var labels = new long[count];
        for (var n = 0; n < count; n++)
        {
            labels[n] = n % 2;
            var used = random.Next(3, length + 1);
            for (var t = 0; t < used; t++)
                ids[n * length + t] = random.Next(2, 7);
            if (labels[n] == 1)
                ids[n * length + random.Next(used)] = 7;
        }
        return new TensorDataset(tensor(ids, [count, length]), tensor(labels, [count]), ["ham", "spam"]);
    }

    [Fact]
    public void TrainerFitsTheTextGruOnInt64TokenIds()
    {
        using var all = Tokens(192);
        var (train, validation) = DataSplit.Split(all, 0.25, seed: 1);
        using var _ = train;
        using var __ = validation;
        manual_seed(1);
        using var model = ModelBuilder.Build(BuiltInModels.Create(ModelChoice.DefaultFor(train), [12], ["ham", "spam"], Vocabulary));
        var recipe = new Recipe { Model = TextGru.Name, Epochs = 8, BatchSize = 16, Optimizer = "adam", LearningRate = 0.01, ValidationFraction = 0, Seed = 1 };

        var result = new Trainer(model, recipe).Fit(train, validation);

        Assert.Equal(ScalarType.Int64, validation.Features.dtype);
        Assert.Equal(8, result.History.Count);
        Assert.True(result.History[^1].ValidationAccuracy > 0.9, $"validation accuracy {result.History[^1].ValidationAccuracy}");
    }

    [Fact]
    public void PreparedDataSplitsTokenIdsWithoutNormalisingThem()
    {
        using var expected = Tokens(40);
        var source = new SourceData(Tokens(40), Tokens(10, seed: 3), 1, null);

        using var data = PreparedData.Load(source, Recipe.Default with { ValidationFraction = 0.25 }, new TrainingLimits(null, null), preprocessing: null);

        Assert.Null(data.Preprocessing);
        Assert.Equal(ScalarType.Int64, data.Train.Features.dtype);
        Assert.Equal(30, data.Train.Count);
        Assert.Equal(10, data.Validation!.Count);
        var (trainRows, _) = DataSplit.SplitIndices(Enumerable.Range(0, 40).Select(i => (long)(i % 2)).ToArray(), 0.25, Recipe.Default.Seed);
        using var indices = tensor(trainRows);
        Assert.Equal(expected.Features.index_select(0, indices).data<long>().ToArray(), data.Train.Features.data<long>().ToArray()); // ids pass through unchanged
    }

    [Fact]
    public void TokenDataDefaultsToTheTextGruSizedToTheVocabulary()
    {
        using var data = Tokens(8);

        var spec = ModelChoice.Resolve(ModelChoice.DefaultFor(data), data, vocabularySize: 1234);

        Assert.Equal(TextGru.Name, spec.Name);
        Assert.Equal(InputKinds.Tokens, spec.InputKind);
        Assert.Equal(1234, spec.Layers[0].VocabularySize);
    }

    [Fact]
    public void TextMaxLengthOutOfRangeIsOneLineNamingTheField()
    {
        var recipe = Recipe.FromJson("""{ "text": { "max_length": 0 } }""");

        var error = Assert.Throws<ArgumentException>(recipe.Validate);

        Assert.Equal("Invalid recipe: text.max_length must be between 1 and 65,536 tokens. Got 0.", error.Message);
    }
}
