using static TorchSharp.torch;

namespace Anvil.Training.Data.Series;

/// <summary>
/// Loads a CSV series as a data source: the training part's windows (validation is carved from its end later) and
/// the test part's windows, split chronologically with the options' gap, raw and in the series' unit.
/// </summary>
/// <example>
/// <code>using var data = SeriesSource.Load("seattle-temps.csv", new SeriesOptions { ValueColumn = "temp" });</code>
/// </example>
public static class SeriesSource
{
    /// <summary>Reads, regularises and windows the series; inputs are (N, Input, 1) float32, targets (N, Horizon).</summary>
    public static SourceData Load(string path, SeriesOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"A series (the recipe's \"series\") is read from a .csv file with a time and a value column; --data is '{path}'.");
        var series = SeriesCsvReader.Read(path, options.ValueColumn, options.TimeColumn, options.MaxGap);
        var windows = new SeriesWindows(options.Input, options.Horizon);
        var (train, test) = windows.Split(series.Values.Length, options.TestFraction, options.Gap);
        return new SourceData(Windows(windows, series.Values[train], options), Windows(windows, series.Values[test], options), 1, null)
        {
            Series = new SeriesLayout(options, series.Start, series.Step, test.Start.Value),
        };
    }

    private static TensorDataset Windows(SeriesWindows windows, float[] values, SeriesOptions options)
    {
        var (inputs, targets, count) = windows.Create(values);
        return TensorDataset.Regression(tensor(inputs, [count, options.Input, 1]), tensor(targets, [count, options.Horizon]), options.TargetNames());
    }
}
