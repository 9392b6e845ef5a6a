using Anvil.Training.Data;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// Where a run's data comes from, as recorded in the run's parameters so `evaluate` can load the
/// same data again: the built-in Fashion-MNIST, a CSV file or an image folder.
/// </summary>
internal sealed record DataSource(string Data, string? DataDir, string? Test, string? LabelColumn)
{
    public const string FashionMnistName = "fashion-mnist";

    // Without a separate test set, this share of the data is held out (stratified) for testing.
    private const double HeldOutTestFraction = 0.2;

    public IReadOnlyDictionary<string, string> ToParameters()
    {
        var p = new Dictionary<string, string> { ["data"] = Data };
        if (DataDir is not null) p["data_dir"] = DataDir;
        if (Test is not null) p["test"] = Test;
        if (LabelColumn is not null) p["label_column"] = LabelColumn;
        return p;
    }

    public static DataSource FromParameters(IReadOnlyDictionary<string, string> p) =>
        new(p.GetValueOrDefault("data", FashionMnistName), p.GetValueOrDefault("data_dir"), p.GetValueOrDefault("test"), p.GetValueOrDefault("label_column"));

    /// <summary>Loads train and test splits; <c>Scale</c> is the factor raw inputs were multiplied by (1/255 for images).</summary>
    public (TensorDataset Train, TensorDataset Test, double Scale) Load(int seed)
    {
        if (Data == FashionMnistName)
        {
            var (train, test) = FashionMnist.Load(DataDir);
            return (train, test, 1 / 255.0);
        }
        if (Data.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            var label = LabelColumn ?? throw new ArgumentException("A CSV data set needs --label-column NAME: the column that holds the class.");
            var (train, policy) = CsvDatasetReader.Fit(Data, new CsvPolicy { LabelColumn = label });
            return Test is null ? HoldOut(train, seed, 1) : (train, CsvDatasetReader.Read(Test, policy), 1);
        }
        if (Directory.Exists(Data))
        {
            var options = new ImageFolderOptions { Channels = ImageChannels.Rgb };
            var all = ImageFolderReader.Read(Data, options);
            if (Test is null)
                return HoldOut(all, seed, 1 / 255.0);
            var size = all.SampleShape;
            return (all, ImageFolderReader.Read(Test, options with { Width = (int)size[2], Height = (int)size[1] }), 1 / 255.0);
        }
        throw new ArgumentException($"Data '{Data}' is not '{FashionMnistName}', a .csv file or an image folder (one sub-folder per class). Check the path.");
    }

    private static (TensorDataset, TensorDataset, double) HoldOut(TensorDataset all, int seed, double scale)
    {
        var (train, test) = DataSplit.Split(all, HeldOutTestFraction, seed);
        all.Dispose();
        return (train, test, scale);
    }
}
