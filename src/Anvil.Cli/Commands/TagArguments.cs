namespace Anvil.Cli.Commands;

/// <summary><c>KEY=VALUE</c> words from the command line (<c>--tag team=vision</c>) as a dictionary.</summary>
internal static class TagArguments
{
    public static IReadOnlyDictionary<string, string> Parse(IEnumerable<string>? words)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in words ?? [])
        {
            var equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
                throw new ArgumentException($"Tag '{word}' needs the form KEY=VALUE, e.g. --tag team=vision.");
            var key = word[..equals];
            if (!tags.TryAdd(key, word[(equals + 1)..]))
                throw new ArgumentException($"Tag '{key}' is given twice; give each tag once.");
        }

        return tags;
    }

    /// <summary>One <c>KEY=VALUE</c> word as a pair, for filters.</summary>
    public static KeyValuePair<string, string>? ParseOne(string? word) =>
        word is null ? null : Parse([word]).Single();
}
