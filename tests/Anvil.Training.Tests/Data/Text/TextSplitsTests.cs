using Anvil.Preprocessing.Text;
using Anvil.Training.Data;
using Anvil.Training.Data.Text;
using Anvil.Training.Runs;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Data.Text;

public sealed class TextSplitsTests
{
    private static readonly string Sample = Path.Combine(TestFiles.Root, "spam-assassin");
    private static readonly TextTokenizerOptions Options = new(MaxLength: 32, MinCount: 1);

    // Each group's texts carry one marker word no other group uses, so a marker's id shows where its group went.
    private static TextCorpus MarkedCorpus() => new(
        Enumerable.Range(0, 60).Select(i => new TextDocument($"common words marker{i / 3} {(i % 2 == 0 ? "lunch" : "money")}", i % 2, $"g{i / 3}", $"{i}.json")).ToList(),
        ["ham", "spam"]);

    private static long[][] Rows(TensorDataset data) =>
        Enumerable.Range(0, data.Count).Select(n => data.Features[n].data<long>().ToArray()).ToArray();

    [Fact]
    public void NoGroupHasTextsOnBothSidesOfTheSplit()
    {
        // A vocabulary of every text, so markers of test groups have ids too.
        var corpus = MarkedCorpus();
        var everyWord = TextVocabulary.Fit(corpus.Documents.Select(d => d.Text), Options);
        using var data = TextSplits.Load(corpus, Options, everyWord, 0.2, seed: 5, TextWriter.Null);

        var vocabulary = everyWord.Tokens;
        string[] Markers(TensorDataset split) => Rows(split).SelectMany(r => r).Select(id => vocabulary[(int)id]).Where(t => t.StartsWith("marker", StringComparison.Ordinal)).Distinct().ToArray();
        Assert.Equal(20, Markers(data.Train).Length + Markers(data.Test).Length);
        Assert.Empty(Markers(data.Train).Intersect(Markers(data.Test)));
    }

    [Fact]
    public void NoGroupHasTextsOnBothSidesOfTheValidationSplit()
    {
        var corpus = MarkedCorpus();
        var everyWord = TextVocabulary.Fit(corpus.Documents.Select(d => d.Text), Options);
        var recipe = Recipe.Default with { ValidationFraction = 0.3, Seed = 2 };

        using var data = PreparedData.Load(TextSplits.Load(corpus, Options, everyWord, 0.2, seed: 5, TextWriter.Null), recipe, new TrainingLimits(null, null), preprocessing: null);

        var vocabulary = everyWord.Tokens;
        string[] Markers(TensorDataset split) => Rows(split).Select(r => vocabulary[(int)r[2]]).Distinct().ToArray(); // "common words markerK …"
        Assert.Equal(45, data.Train.Count + data.Validation!.Count); // the 15 test texts (5 groups) are gone
        Assert.InRange(data.Validation.Count, 9, 18);
        Assert.Empty(Markers(data.Train).Intersect(Markers(data.Validation)));
    }

    [Fact]
    public void TheVocabularyIsFittedOnTheTrainingSplitOnly()
    {
        using var data = TextSplits.Load(MarkedCorpus(), Options, vocabulary: null, 0.2, seed: 5, TextWriter.Null);

        // Markers of test groups are unknown words: the vocabulary never saw the test texts.
        Assert.All(Rows(data.Test), row => Assert.Equal(TextVocabulary.UnknownId, row[2])); // "common words markerK …": the marker is third
        Assert.All(Rows(data.Train), row => Assert.NotEqual(TextVocabulary.UnknownId, row[2]));
    }

    [Fact]
    public void IdsAreInt64PaddedWithZeroToMaxLength()
    {
        using var data = new DataSource(Sample).Load(Recipe.Default with { Text = Options }, csvPolicy: null, TextWriter.Null);

        Assert.Equal(ScalarType.Int64, data.Train.Features.dtype);
        Assert.Equal([32L], data.Test.SampleShape);
        Assert.True(data.Train.IsTokens);
        Assert.Equal(95, data.Train.Count + data.Test.Count); // the 100 e-mails less 5 repeated bodies
    }

    [Fact]
    public void ASavedVocabularyIsReplayedNotRefitted()
    {
        var source = new DataSource(Sample);
        var recipe = Recipe.Default with { Text = Options };
        using var first = source.Load(recipe, csvPolicy: null, TextWriter.Null);
        using var temp = new TempDirectory();
        var path = Path.Combine(temp.Path, TextVocabulary.FileName);
        first.Tokenizer!.Vocabulary.Save(path);
        var small = TextVocabulary.Fit(["only these four words"], Options);

        using var again = source.Load(recipe, csvPolicy: null, TextWriter.Null, TextVocabulary.Load(path));
        using var other = source.Load(recipe, csvPolicy: null, TextWriter.Null, small);

        Assert.Equal(first.Test.Features.data<long>().ToArray(), again.Test.Features.data<long>().ToArray());
        Assert.Equal(first.Train.Features.data<long>().ToArray(), again.Train.Features.data<long>().ToArray());
        Assert.True(other.Train.Features.max().item<long>() < small.Count, "ids come from the vocabulary given, not a refit");
    }

    [Fact]
    public void AllEmptyTextsAreOneClearError()
    {
        var corpus = new TextCorpus([new TextDocument("  ", 0, "a", "a.json"), new TextDocument("\n", 1, "b", "b.json")], ["ham", "spam"]);

        var error = Assert.Throws<InvalidDataException>(() => TextSplits.Load(corpus, Options, null, 0.2, 1, TextWriter.Null));

        Assert.Contains("All 2 texts of the corpus are empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEmptyCorpusFolderIsOneClearError()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "spam-1"));
        Directory.CreateDirectory(Path.Combine(temp.Path, "easy-ham-1"));

        var error = Assert.Throws<InvalidDataException>(() => new DataSource(temp.Path).Load(Recipe.Default, null, TextWriter.Null));

        Assert.Contains("holds no e-mails", error.Message, StringComparison.Ordinal);
    }
}
