using Anvil.Preprocessing.Text;
using Anvil.Training.Data.Text;
using Anvil.Training.Training;

namespace Anvil.Training.Data;

/// <summary>
/// Where a run's data comes from, recorded in the run's parameters so <c>evaluate</c> and
/// <c>--resume</c> load the same data again: the built-in Fashion-MNIST, a CSV file or an image
/// folder, each with an optional separate test set.
/// </summary>
/// <example>
/// <code>
/// var source = new DataSource("iris.csv", LabelColumn: "species");
/// string hash = source.Hash();
/// using var data = source.Load(Recipe.Default, csvPolicy: null, warnings: Console.Error);
/// </code>
/// </example>
public sealed record DataSource(string Data, string? DataDir = null, string? Test = null, string? LabelColumn = null)
{
    /// <summary>The name of the built-in data set.</summary>
    public const string FashionMnistName = "fashion-mnist";

    // Without a separate test set, this share of the data is held out (stratified) for testing.
    private const double HeldOutTestFraction = 0.2;

    private bool IsCsv => Data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);

    /// <summary>The source as run parameters (read back by <see cref="FromParameters"/>).</summary>
    public IReadOnlyDictionary<string, string> ToParameters()
    {
        var p = new Dictionary<string, string> { ["data"] = Data };
        if (DataDir is not null) p["data_dir"] = DataDir;
        if (Test is not null) p["test"] = Test;
        if (LabelColumn is not null) p["label_column"] = LabelColumn;
        return p;
    }

    /// <summary>The source a run was started with.</summary>
    public static DataSource FromParameters(IReadOnlyDictionary<string, string> p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.GetValueOrDefault("data", FashionMnistName), p.GetValueOrDefault("data_dir"), p.GetValueOrDefault("test"), p.GetValueOrDefault("label_column"));
    }

    /// <summary>The <see cref="DatasetHash"/> of the raw files, before any split: the data set's identity.</summary>
    public string Hash() => DatasetHash.OfFiles(Files());

    private IEnumerable<(string Name, string Path)> Files()
    {
        if (Data == FashionMnistName)
            return FashionMnist.Locate(FashionMnist.CandidateDirectories(DataDir)).Select(f => (Path.GetFileName(f), f));
        var files = FilesOf("data", Data == SpamAssassinSource.Name ? SpamAssassinSource.Locate(Data, DataDir) : Data);
        return Test is null ? files : files.Concat(FilesOf("test", Test));
    }

    private static IEnumerable<(string, string)> FilesOf(string role, string path) =>
        Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => !Path.GetFileName(f).StartsWith('.'))
                .Select(f => ($"{role}/{Path.GetRelativePath(path, f).Replace('\\', '/')}", f))
            : [(role, File.Exists(path) ? path : throw new FileNotFoundException($"Data file '{path}' does not exist. Check the path.", path))];

    /// <summary>Loads train and test splits as they are on disk (not normalised).</summary>
    /// <param name="recipe">Supplies the seed of the hold-out split, the CSV missing-value policy and the image size.</param>
    /// <param name="csvPolicy">A fitted CSV policy to replay (evaluate, resume); null fits one on the training rows.</param>
    /// <param name="warnings">Where skipped files are reported.</param>
    /// <param name="vocabulary">For a text corpus: a saved vocabulary to replay (evaluate, resume); null fits one on the training split.</param>
    public SourceData Load(Recipe recipe, CsvPolicy? csvPolicy, TextWriter warnings, TextVocabulary? vocabulary = null)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(warnings);
        if (recipe.Series is { } series)
            return Series.SeriesSource.Load(Data, series);
        if (Data == FashionMnistName)
        {
            var (train, test) = FashionMnist.Load(DataDir);
            return new SourceData(train, test, 1 / 255.0, null);
        }
        if (SpamAssassinSource.Handles(Data))
            return TextSplits.Load(SpamAssassinCorpus.Read(SpamAssassinSource.Locate(Data, DataDir)), recipe.Text ?? new(), vocabulary, HeldOutTestFraction, recipe.Seed, warnings);
        if (IsCsv)
            return LoadCsv(recipe, csvPolicy);
        if (Directory.Exists(Data))
            return LoadImages(recipe, warnings);
        throw new ArgumentException($"Data '{Data}' is not '{FashionMnistName}', '{SpamAssassinSource.Name}', a .csv file or an image folder (one sub-folder per class). Check the path.");
    }

    private SourceData LoadCsv(Recipe recipe, CsvPolicy? fitted)
    {
        var label = LabelColumn ?? throw new ArgumentException("A CSV data set needs --label-column NAME: the column that holds the class.");
        var policy = fitted ?? new CsvPolicy { LabelColumn = label, MissingValues = recipe.MissingValues };
        if (Test is null)
        {
            var (train, test, heldOutPolicy) = CsvDatasetReader.FitHoldOut(Data, policy, HeldOutTestFraction, recipe.Seed);
            return new SourceData(train, test, 1, heldOutPolicy);
        }
        var (all, trainPolicy) = fitted is null ? CsvDatasetReader.Fit(Data, policy) : (CsvDatasetReader.Read(Data, fitted), fitted);
        return new SourceData(all, CsvDatasetReader.Read(Test, trainPolicy), 1, trainPolicy);
    }

    private SourceData LoadImages(Recipe recipe, TextWriter warnings)
    {
        var size = recipe.ImageSize();
        var options = new ImageFolderOptions
        {
            Width = size?.Width,
            Height = size?.Height,
            Resize = size is not null,
            Channels = null, // grey folders stay one channel
            OnSkippedFile = warnings.WriteLine,
        };
        var all = ImageFolderReader.Read(Data, options);
        if (Test is not null)
        {
            var shape = all.SampleShape; // (C, H, W)
            var test = ImageFolderReader.Read(Test, options with { Channels = (ImageChannels)shape[0], Width = (int)shape[2], Height = (int)shape[1] });
            return new SourceData(all, test, 1 / 255.0, null);
        }
        var (trainPart, testPart) = DataSplit.Split(all, HeldOutTestFraction, recipe.Seed);
        all.Dispose();
        return new SourceData(trainPart, testPart, 1 / 255.0, null);
    }
}
