using System.Text;
using Anvil.Preprocessing.Text;

namespace Anvil.Preprocessing.Tests.Text;

public sealed class TextVocabularyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("anvil-vocab-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void FitKeepsTheMostFrequentWordsAfterPaddingAndUnknown()
    {
        var options = new TextTokenizerOptions(MaxWords: 2, MinCount: 2);

        var vocabulary = TextVocabulary.Fit(["b a c b", "a b d", "c e"], options);

        Assert.Equal([TextVocabulary.PaddingToken, TextVocabulary.UnknownToken, "b", "a"], vocabulary.Tokens);
    }

    [Fact]
    public void FitIsTheSameWhateverTheOrderOfTheTexts()
    {
        var texts = FuzzTexts.Generate(500, seed: 2);
        var options = new TextTokenizerOptions(MaxWords: 100, MinCount: 2);

        var forward = TextVocabulary.Fit(texts, options);
        var backward = TextVocabulary.Fit(Enumerable.Reverse(texts), options);

        Assert.Equal(forward.Tokens, backward.Tokens);
    }

    [Fact]
    public void SavedVocabularyTokenizesExactlyAsTheFittedOneOnTenThousandFuzzedTexts()
    {
        var options = new TextTokenizerOptions(MaxLength: 32, MaxWords: 300, MinCount: 2);
        var fitted = TextVocabulary.Fit(FuzzTexts.Generate(2_000, seed: 3), options);
        var path = Path.Combine(_directory, TextVocabulary.FileName);
        fitted.Save(path);
        var training = new TextTokenizer(fitted, options);
        var serving = new TextTokenizer(TextVocabulary.Load(path), options);

        var differences = FuzzTexts.Generate(10_000, seed: 4)
            .Count(text => !training.Encode(text).Ids.SequenceEqual(serving.Encode(text).Ids));

        Assert.Equal(fitted.Tokens, serving.Vocabulary.Tokens);
        Assert.Equal(0, differences);
    }

    [Theory]
    [InlineData("[UNK]\n[PAD]\nx\n", "must start with the lines [PAD] and [UNK]")]
    [InlineData("[PAD]\n[UNK]\nx\nx\n", "line 4 repeats the token 'x'")]
    [InlineData("[PAD]\n[UNK]\n\nx\n", "line 3 is empty")]
    [InlineData("[PAD]\n[UNK]\ntwo words\n", "line 3 is empty or holds white space")]
    public void MalformedFilesAreRefusedWithTheLine(string content, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => TextVocabulary.Parse(Encoding.UTF8.GetBytes(content), "vocab.txt"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsRefused()
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("[PAD]\n[UNK]\n"), 0xC3, 0x28, (byte)'\n'];

        var error = Assert.Throws<InvalidDataException>(() => TextVocabulary.Parse(bytes, "vocab.txt"));

        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }
}
