using System.Globalization;
using System.Text;
using Anvil.Preprocessing.Text;
using Anvil.Registry.Versions;
using Anvil.Serving.Inputs;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests.Inputs;

/// <summary>
/// The server tokenizes exactly as training does: 10,000 fuzzed texts, sent as JSON bodies through the
/// server's reader with the tokenizer rebuilt from a sealed version's vocab.txt, give training's ids
/// (<see cref="TextTokenizer.Encode"/> and <see cref="TextTokenizer.Pad"/> with the vocabulary fitted in
/// memory) and truncation flags; what training refuses, the server refuses with a 4xx.
/// </summary>
public sealed class TextInputReaderFuzzTests
{
    private const int Texts = 10_000;

    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)]
    public async Task TheServerGivesTrainingsIdsAndTruncationOnFuzzedTexts(bool lowercase, int seed)
    {
        var options = new TextTokenizerOptions(MaxLength: 16, Lowercase: lowercase, MaxWords: 300, MinCount: 1);
        var fuzz = new FuzzedText(seed);
        var corpus = Enumerable.Range(0, 2_000).Select(_ => fuzz.Words()).Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
        var training = new TextTokenizer(TextVocabulary.Fit(corpus, options), options);
        var server = await ServerTokenizerAsync(corpus, options);

        var (compared, truncated, refused) = (0, 0, 0);
        var expected = new long[options.MaxLength];
        for (var i = 0; i < Texts; i++)
        {
            var text = fuzz.Next();
            var body = Body(text, rawUtf8: i % 2 == 0);
            var context = $"text {i} ({text.Length:N0} chars): {Preview(text)}";
            TextEncoding encoding;
            try
            {
                encoding = training.Encode(text);
            }
            catch (ArgumentException)
            {
                Assert.True(Refusal(body, server) is 400, $"training refuses {context}; the server must answer 400");
                refused++;
                continue;
            }

            if (encoding.NothingKnown)
            {
                Assert.True(Refusal(body, server) is 422, $"no known token in {context}; the server must answer 422");
                refused++;
                continue;
            }

            var input = TextInputReader.Read(body, server, maxInputs: 1);
            training.Pad(encoding, expected);
            Assert.True(expected.AsSpan().SequenceEqual((long[])input.Samples), $"ids differ for {context}");
            Assert.True(encoding.Truncated == input.Truncated![0], $"truncation differs for {context}");
            Assert.Equal(text, input.Texts![0]);
            compared++;
            truncated += encoding.Truncated ? 1 : 0;
        }

        // not vacuous: most texts were compared id by id, with and without truncation, and some were refused
        Assert.True(compared > Texts / 2, $"only {compared} of {Texts} texts compared");
        Assert.InRange(truncated, compared / 10, compared - compared / 10);
        Assert.True(refused > 100, $"only {refused} refused");
    }

    /// <summary>The tokenizer the server builds from a sealed version whose vocab.txt was fitted on <paramref name="corpus"/>.</summary>
    private static async Task<TextTokenizer> ServerTokenizerAsync(IEnumerable<string> corpus, TextTokenizerOptions options)
    {
        await using var host = await ServingHost.StartAsync();
        var version = SequenceVersions.AddText(host, texts: corpus, options: options);
        var files = host.Catalog.OpenFiles(version, host.Signer);
        return VersionTokenizer.Open(files, [options.MaxLength])!;
    }

    private static int? Refusal(byte[] body, TextTokenizer server)
    {
        try
        {
            TextInputReader.Read(body, server, maxInputs: 1);
            return null;
        }
        catch (InputException e)
        {
            Assert.DoesNotContain('\n', e.Message);
            return e.StatusCode;
        }
    }

    /// <summary>{"inputs": [text]}: raw UTF-8 where it can be, else every non-ASCII UTF-16 unit escaped (lone surrogates too).</summary>
    private static byte[] Body(string text, bool rawUtf8)
    {
        var json = new StringBuilder("{\"inputs\": [\"");
        var raw = rawUtf8 && IsWellFormed(text);
        foreach (var c in text)
        {
            if (c is '"' or '\\')
                json.Append('\\').Append(c);
            else if (c < 0x20 || (!raw && c > 0x7E))
                json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else
                json.Append(c);
        }

        return new UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(json.Append("\"]}").ToString());
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else if (char.IsSurrogate(text[i]))
                return false;
        }

        return true;
    }

    private static string Preview(string text) =>
        string.Concat(text.Take(60).Select(c => c is < ' ' or > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
