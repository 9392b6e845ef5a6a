using Anvil.Preprocessing.Text;
using Anvil.Training.Data.Text;
using Anvil.Training.Runs;
using Anvil.Training.Training;

namespace Anvil.Training.Tests.Runs;

public sealed class TextCrossValidationTests
{
    private static readonly TextTokenizerOptions Options = new(MaxLength: 8, MinCount: 1);

    // Spam texts say "prize", ham texts say "meeting"; each pair of texts is one group of near-copies.
    private static List<TextDocument> Documents(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new TextDocument(i % 4 < 2 ? $"win a prize now {i}" : $"see you at the meeting {i}", i % 4 < 2 ? 1 : 0, $"g{i / 2}", $"{i}"))];

    [Fact]
    public void AFoldsVocabularyHoldsOnlyItsTrainingWords()
    {
        var train = new List<TextDocument> { new("alpha beta", 0, "a", "1"), new("beta gamma", 1, "b", "2") };
        var heldOut = new List<TextDocument> { new("delta beta", 0, "c", "3") };

        var (trainSet, heldOutSet, tokenizer) = TextCrossValidation.EncodeFold(train, heldOut, ["ham", "spam"], Options);
        using var _ = trainSet;
        using var __ = heldOutSet;

        Assert.DoesNotContain("delta", tokenizer.Vocabulary.Tokens);
        Assert.Equal(TextVocabulary.UnknownId, heldOutSet.Features[0, 0].item<long>()); // "delta" is unknown to the fold
        Assert.Equal(tokenizer.Vocabulary.Tokens.ToList().IndexOf("beta"), (int)heldOutSet.Features[0, 1].item<long>());
    }

    [Fact]
    public void TextFoldsReportAccuracyAndAucOfEachFold()
    {
        var spec = Path.Combine(Path.GetTempPath(), $"bow-{Guid.NewGuid():N}.json");
        File.WriteAllText(spec, """{"layers": [{"type": "embedding", "vocabulary_size": 64, "units": 8}, {"type": "sequence_pool", "pooling": "mean"}, {"type": "dense"}]}""");
        var recipe = new Recipe { Model = spec, Epochs = 3, BatchSize = 8, Optimizer = "adam", LearningRate = 0.05, ValidationFraction = 0, Seed = 1 };
        try
        {
            var result = TextCrossValidation.Run(Documents(48), ["ham", "spam"], Options, recipe, folds: 3, callbacks: null, CancellationToken.None);

            Assert.Equal(["accuracy", "auc"], result.Metrics);
            Assert.Equal(3, result.FoldCount);
            Assert.All(result.Values("accuracy"), a => Assert.InRange(a, 0.0, 1.0));
            Assert.All(result.Values("auc"), a => Assert.InRange(a, 0.0, 1.0));
        }
        finally
        {
            File.Delete(spec);
        }
    }
}
