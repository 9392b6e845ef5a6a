namespace Anvil.Training.Data;

/// <summary>
/// The built-in Fashion-MNIST data set: 60,000 training and 10,000 test 28×28 grayscale images
/// of 10 kinds of clothing, read from the four official IDX files (gzipped or raw).
/// </summary>
/// <example>
/// <code>
/// var (train, test) = FashionMnist.Load();   // train.Features: (60000, 1, 28, 28)
/// </code>
/// </example>
public static class FashionMnist
{
    /// <summary>Environment variable naming a directory that holds the four files.</summary>
    public const string EnvironmentVariable = "ANVIL_FASHION_MNIST";

    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string SystemDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>The 10 official class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private static readonly string[] FileStems =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>
    /// Loads the training and test sets from <paramref name="directory"/> when given (and only from
    /// there, so a wrong path is an error rather than a silent fallback), else from the first of
    /// <c>$ANVIL_FASHION_MNIST</c> and <see cref="SystemDirectory"/> that holds all four files.
    /// </summary>
    /// <exception cref="FileNotFoundException">No candidate directory holds the four files.</exception>
    public static (TensorDataset Train, TensorDataset Test) Load(string? directory = null)
    {
        var files = Locate(CandidateDirectories(directory));
        var train = IdxReader.ReadDataset(files[0], files[1], ClassNames);
        try
        {
            return (train, IdxReader.ReadDataset(files[2], files[3], ClassNames));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>The directories searched, in order, skipping unset ones: only <paramref name="directory"/> when it is given.</summary>
    public static IReadOnlyList<string> CandidateDirectories(string? directory = null) =>
        (string.IsNullOrWhiteSpace(directory) ? new[] { Environment.GetEnvironmentVariable(EnvironmentVariable), SystemDirectory } : [directory])
            .Where(d => !string.IsNullOrWhiteSpace(d))
            .Select(d => d!)
            .ToList();

    /// <summary>
    /// Returns the paths of train images, train labels, test images and test labels in the first
    /// directory that holds all four (each as <c>name.gz</c> or raw <c>name</c>).
    /// </summary>
    internal static string[] Locate(IReadOnlyList<string> directories)
    {
        foreach (var directory in directories)
        {
            var files = FileStems.Select(stem => FindFile(directory, stem)).ToArray();
            if (files.All(f => f is not null))
                return files!;
        }
        throw new FileNotFoundException(
            $"Fashion-MNIST was not found. Looked for {string.Join(", ", FileStems.Select(s => s + ".gz"))} in: " +
            $"{string.Join(", ", directories.Select(d => $"'{d}'"))}. To get it, either run " +
            "`sudo apt-get install dataset-fashion-mnist` (Debian/Ubuntu; installs to " + SystemDirectory + "), " +
            "or download the four files from https://github.com/zalandoresearch/fashion-mnist into a directory " +
            $"and pass it with --data-dir or set {EnvironmentVariable}.");
    }

    private static string? FindFile(string directory, string stem)
    {
        var gzipped = Path.Combine(directory, stem + ".gz");
        if (File.Exists(gzipped))
            return gzipped;
        var raw = Path.Combine(directory, stem);
        return File.Exists(raw) ? raw : null;
    }
}
