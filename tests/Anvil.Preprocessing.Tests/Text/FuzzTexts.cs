using System.Text;

namespace Anvil.Preprocessing.Tests.Text;

/// <summary>Random texts mixing words, case, digits, punctuation, white space, accents, CJK, emoji and control characters.</summary>
internal static class FuzzTexts
{
    private static readonly string[] Pieces =
    [
        "free", "FREE", "Money", "cruise", "win", "meeting", "tomorrow", "unsubscribe", "click", "here", "réunion", "naïve",
        "東京", "日本語", "😀", "👍🏽", "$", "$$$", "100%", "3.5", "1,000", "e-mail", "o'clock", "http://x.example/a?b=c",
        "!!!", "...", "--", "\"quoted\"", "(paren)", "[x]", "<html>", "&amp;", "\t", "\n", "\r\n", "  ", "\u0000", "\u00a0",
        "\u200b", "Ünïcödé", "ß", "İstanbul", "ﬁ", "a", "I", "x1", "_under_", "C#", ".NET",
    ];

    public static List<string> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var texts = new List<string>(count);
        var builder = new StringBuilder();
        while (texts.Count < count)
        {
            builder.Clear();
            var pieces = random.Next(1, 40);
            for (var i = 0; i < pieces; i++)
            {
                builder.Append(random.Next(5) == 0 ? RandomWord(random) : Pieces[random.Next(Pieces.Length)]);
                builder.Append(random.Next(4) == 0 ? "" : " ");
            }

            var text = builder.ToString();
            if (!string.IsNullOrWhiteSpace(text))
                texts.Add(text);
        }

        return texts;
    }

    private static string RandomWord(Random random)
    {
        var length = random.Next(1, 12);
        var chars = new char[length];
        for (var i = 0; i < length; i++)
            chars[i] = (char)random.Next(0x21, 0x250); // ASCII, Latin-1 and Latin Extended letters and symbols
        return new string(chars);
    }
}
