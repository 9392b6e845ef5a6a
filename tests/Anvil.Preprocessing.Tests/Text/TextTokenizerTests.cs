using Anvil.Preprocessing.Text;

namespace Anvil.Preprocessing.Tests.Text;

public sealed class TextTokenizerTests
{
    private static readonly TextTokenizerOptions Options = new(MaxLength: 64, Lowercase: true, MaxWords: 50, MinCount: 2);

    [Fact]
    public void KnownWordsGetTheirIdsAndOthersTheUnknownId()
    {
        var vocabulary = TextVocabulary.Fit(["win free money", "free money now", "meeting tomorrow"], Options);
        var tokenizer = new TextTokenizer(vocabulary, Options);

        var encoding = tokenizer.Encode("FREE Money, please");

        var free = vocabulary.Tokens.ToList().IndexOf("free");
        var money = vocabulary.Tokens.ToList().IndexOf("money");
        Assert.Equal([free, money, TextVocabulary.UnknownId, TextVocabulary.UnknownId], encoding.Ids);
        Assert.Equal(2, encoding.UnknownCount);
        Assert.False(encoding.Truncated);
        Assert.False(encoding.NothingKnown);
    }

    [Fact]
    public void LongTextsAreTruncatedToTheMaximumLengthAndSaySo()
    {
        var options = Options with { MaxLength = 5 };
        var tokenizer = new TextTokenizer(TextVocabulary.Fit(["a b a b"], options), options);

        var encoding = tokenizer.Encode("a b a b a b a");
        var fits = tokenizer.Encode("a b a b a");

        Assert.Equal(5, encoding.Ids.Count);
        Assert.True(encoding.Truncated);
        Assert.False(fits.Truncated);
        Assert.Equal(encoding.Ids, fits.Ids);
    }

    [Fact]
    public void PaddingFillsTheRestOfTheSampleWithZeros()
    {
        var tokenizer = new TextTokenizer(TextVocabulary.Fit(["x y x y"], Options), Options);
        var sample = new long[Options.MaxLength];
        sample.AsSpan().Fill(-1);

        tokenizer.Pad(tokenizer.Encode("x y"), sample);

        Assert.All(sample[2..], id => Assert.Equal(TextVocabulary.PaddingId, id));
        Assert.NotEqual(TextVocabulary.PaddingId, sample[0]);
    }

    [Fact]
    public void TextOfUnknownWordsOnlyIsReportedAsNothingKnown()
    {
        var tokenizer = new TextTokenizer(TextVocabulary.Fit(["x y x y"], Options), Options);

        Assert.True(tokenizer.Encode("completely different words").NothingKnown);
        Assert.True(tokenizer.Encode("$$$ ...").NothingKnown); // no word at all
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData(" \t\n ", "empty")]
    public void TextsThatCannotBeInputsAreRefusedWithTheReason(string text, string expected)
    {
        var tokenizer = new TextTokenizer(TextVocabulary.Fit(["x y x y"], Options), Options);

        var error = Assert.Throws<ArgumentException>(() => tokenizer.Encode(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnpairedSurrogatesAreRefusedWithTheirPosition()
    {
        // built at run time: attribute arguments cannot carry unpaired surrogates intact
        var tokenizer = new TextTokenizer(TextVocabulary.Fit(["x y x y"], Options), Options);
        var lone = "bad " + (char)0xD800 + " surrogate";
        var reversed = "reversed " + (char)0xDC00 + (char)0xD800;

        var error = Assert.Throws<ArgumentException>(() => tokenizer.Encode(lone));
        Assert.Throws<ArgumentException>(() => tokenizer.Encode(reversed));

        Assert.Contains("unpaired UTF-16 surrogate at character 4", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, tokenizer.Encode("ok " + char.ConvertFromUtf32(0x1F600) + " x").Ids.Count); // a paired surrogate is fine
    }

    [Fact]
    public void OverlongTextsAreRefusedBeforeAnyWork()
    {
        var tokenizer = new TextTokenizer(TextVocabulary.Fit(["x y x y"], Options), Options);

        var error = Assert.Throws<ArgumentException>(() => tokenizer.Encode(new string('x', TextTokenizer.LongestText + 1)));

        Assert.Contains("at most 1,000,000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryWordOfTheFittedTextsIsKnownWhenNoneIsCut()
    {
        // The vocabulary is fitted with the same normalizer and pre-tokenizer that encoding uses: on 10,000 fuzzed
        // texts, a vocabulary with every word (min count 1, no size cap) leaves nothing unknown.
        var texts = FuzzTexts.Generate(10_000, seed: 1);
        var options = new TextTokenizerOptions(MaxLength: 1_000, MaxWords: TextVocabulary.LargestSize, MinCount: 1);
        var tokenizer = new TextTokenizer(TextVocabulary.Fit(texts, options), options);

        var unknown = texts.Select(tokenizer.Encode).Sum(encoding => encoding.UnknownCount);

        Assert.Equal(0, unknown);
    }

    [Fact]
    public void CaseIsKeptWhenLowercasingIsOff()
    {
        var options = Options with { Lowercase = false, MinCount = 1 };
        var tokenizer = new TextTokenizer(TextVocabulary.Fit(["Free free"], options), options);

        var encoding = tokenizer.Encode("Free free FREE");

        Assert.Equal(2, encoding.Ids.Distinct().Count(id => id != TextVocabulary.UnknownId));
        Assert.Equal(1, encoding.UnknownCount);
    }
}
