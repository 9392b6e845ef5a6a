using System.Text;

namespace Anvil.Serving.Tests.Support;

/// <summary>
/// Random texts for comparing tokenizers: words from a fixed pool (so a fitted vocabulary knows many of them)
/// in random case, mixed with random code points — combining marks, CJK, emoji (surrogate pairs), control,
/// format and every kind of white space — and now and then an unpaired surrogate or a very long text.
/// </summary>
public sealed class FuzzedText(int seed)
{
    private static readonly string[] Known = ["free", "money", "cruise", "café", "naïve", "Über", "straße", "İstanbul", "ǅemal", "ﬁne", "東京", "日本語", "résumé", "ÉCOLE", "ⅻ", "𝔘𝔫𝔦"];
    private static readonly (int First, int Last)[] Ranges =
    [
        (0x20, 0x7E), (0xA0, 0xFF), (0x100, 0x24F), (0x300, 0x36F), (0x370, 0x4FF), (0x600, 0x6FF), (0x900, 0x97F),
        (0x4E00, 0x4E40), (0xAC00, 0xAC20), (0x1F600, 0x1F64F), (0x20000, 0x20020), (0x0, 0x1F), (0x7F, 0x9F), (0xE000, 0xE010),
    ];

    private static readonly string[] Spaces = [" ", "\t", "\n", "\r\n", "\u00A0", "\u1680", "\u2002", "\u2009", "\u200A", "\u2028", "\u2029", "\u202F", "\u205F", "\u3000", "\u0085", "  "];
    private static readonly string[] Formats = ["\u200B", "\u200C", "\u200D", "\u2060", "\uFEFF", "\u00AD", "\uFFFD", "\uFFFF", "\u0301\u0302"];

    private readonly Random _random = new(seed);
    private readonly string[] _pool = Pool(new Random(seed ^ 0x5EED));

    /// <summary>A text of words only (valid for fitting a vocabulary): never empty, no unpaired surrogate.</summary>
    public string Words()
    {
        var words = Enumerable.Range(0, _random.Next(1, 30)).Select(_ => Word());
        return string.Join(' ', words);
    }

    /// <summary>Any text: empty, white space only, unpaired surrogates and texts of up to 300,000 characters included.</summary>
    public string Next()
    {
        var text = new StringBuilder();
        var pieces = _random.Next(100) switch
        {
            0 => _random.Next(5_000, 60_000), // very long: tens to hundreds of thousands of characters
            < 5 => 0,
            _ => _random.Next(1, 40),
        };
        for (var i = 0; i < pieces; i++)
        {
            text.Append(_random.Next(20) switch
            {
                < 10 => Word(),
                < 14 => Spaces[_random.Next(Spaces.Length)],
                < 18 => char.ConvertFromUtf32(CodePoint()),
                _ => Formats[_random.Next(Formats.Length)],
            });
        }

        if (_random.Next(40) == 0)
            text.Insert(_random.Next(text.Length + 1), (char)_random.Next(0xD800, 0xE000)); // an unpaired surrogate
        return text.ToString();
    }

    private string Word()
    {
        var word = _pool[_random.Next(_pool.Length)];
        return _random.Next(4) switch
        {
            0 => word.ToUpperInvariant(),
            1 when word.Length > 0 => char.ToUpperInvariant(word[0]) + word[1..],
            _ => word,
        };
    }

    private int CodePoint()
    {
        var (first, last) = Ranges[_random.Next(Ranges.Length)];
        return _random.Next(first, last + 1);
    }

    private static string[] Pool(Random random)
    {
        var pool = new List<string>(Known);
        while (pool.Count < 400)
        {
            var word = new StringBuilder();
            for (var i = random.Next(1, 8); i > 0; i--)
            {
                var (first, last) = Ranges[random.Next(10)]; // letters, marks and symbols; no control characters
                word.Append(char.ConvertFromUtf32(random.Next(Math.Max(first, 0x21), last + 1)));
            }

            pool.Add(word.ToString());
        }

        return [.. pool];
    }
}
