using System.Globalization;

namespace Anvil.Training.Data.Series;

/// <summary>
/// Reads a time series from a CSV file with a time column and a value column (e.g. Seattle's hourly
/// temperatures: <c>date,temp</c> / <c>2010/01/01 00:00,39.4</c>). The step is the most common spacing of the
/// times. Short gaps (missing rows, empty or NaN cells; a daylight-saving hour) of at most
/// <c>maxGap</c> steps are filled by linear interpolation; longer ones, times out of order and unparsable values are errors
/// that name the row.
/// </summary>
public static class SeriesCsvReader
{
    private const long LargestFileBytes = 512L * 1024 * 1024;
    private static readonly string[] TimeFormats = ["yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-dd HH:mm:ss", "yyyy/MM/dd", "yyyy-MM-dd"];

    public static TimeSeries Read(string path, string valueColumn, string timeColumn = "date", int maxGap = 2)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxGap);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Series file '{path}' does not exist. Check --data or the recipe's \"data\".", path);
        if (new FileInfo(path).Length > LargestFileBytes)
            throw new InvalidDataException($"Series file '{path}' is larger than {LargestFileBytes:N0} bytes.");

        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? "").Split(',').Select(c => c.Trim()).ToList();
        var timeIndex = Column(header, timeColumn, path, "time_column");
        var valueIndex = Column(header, valueColumn, path, "value_column");
        var times = new List<DateTime>();
        var values = new List<float>();
        var row = 1;
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            row++;
            if (line.Length == 0)
                continue;
            var cells = line.Split(',');
            if (cells.Length != header.Count)
                throw new InvalidDataException($"{path} row {row} has {cells.Length} cells; the header has {header.Count}.");
            if (!DateTime.TryParseExact(cells[timeIndex].Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
                throw new InvalidDataException($"{path} row {row}: '{cells[timeIndex]}' is not a time like 2010/01/01 00:00 or 2010-01-01T00:00:00.");
            var cell = cells[valueIndex].Trim();
            float value;
            if (cell.Length == 0 || cell.Equals("NaN", StringComparison.OrdinalIgnoreCase))
                value = float.NaN; // a missing value: filled below like a missing row, within max_gap
            else if (!float.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out value) || !float.IsFinite(value))
                throw new InvalidDataException($"{path} row {row}: '{cell}' in column '{valueColumn}' is not a finite number.");
            if (times.Count > 0 && time <= times[^1])
                throw new InvalidDataException($"{path} row {row}: time {time:yyyy-MM-dd HH:mm} does not come after the previous row's {times[^1]:yyyy-MM-dd HH:mm}; sort the file by time and remove repeated times.");
            times.Add(time);
            values.Add(value);
        }

        if (times.Count < 3)
            throw new InvalidDataException($"{path} has {times.Count} rows; a series needs many more (at least one input window plus its horizon).");
        return Regularise(path, times, values, maxGap);
    }

    private static TimeSeries Regularise(string path, List<DateTime> times, List<float> values, int maxGap)
    {
        var step = times.Zip(times.Skip(1), (a, b) => b - a).GroupBy(d => d).OrderByDescending(g => g.Count()).First().Key;
        var regular = new List<float>(values.Count);
        for (var i = 0; i < times.Count; i++)
        {
            if (i > 0)
            {
                var elapsed = times[i] - times[i - 1];
                if (elapsed.Ticks % step.Ticks != 0)
                    throw new InvalidDataException($"{path}: the time {times[i]:yyyy-MM-dd HH:mm} is off the series' step of {step} (previous {times[i - 1]:yyyy-MM-dd HH:mm}).");
                for (var missing = elapsed.Ticks / step.Ticks - 1; missing > 0; missing--)
                    regular.Add(float.NaN);
            }

            regular.Add(values[i]);
        }

        var filled = Fill(regular, maxGap, path, times[0], step);
        return new TimeSeries(times[0], step, [.. regular], filled);
    }

    /// <summary>Linear interpolation over runs of NaN no longer than <paramref name="maxGap"/>.</summary>
    private static int Fill(List<float> values, int maxGap, string path, DateTime start, TimeSpan step)
    {
        var filled = 0;
        for (var i = 0; i < values.Count; i++)
        {
            if (!float.IsNaN(values[i]))
                continue;
            var end = i;
            while (end < values.Count && float.IsNaN(values[end]))
                end++;
            var length = end - i;
            if (i == 0 || end == values.Count || length > maxGap)
                throw new InvalidDataException($"{path}: {length} value(s) missing from {start + (step * i):yyyy-MM-dd HH:mm}" +
                    (i == 0 || end == values.Count ? " at an end of the series, where nothing can be interpolated; trim the file." : $"; at most {maxGap} in a row are filled by interpolation. Raise series.max_gap in the recipe or repair the data."));
            for (var k = 0; k < length; k++)
                values[i + k] = values[i - 1] + ((values[end] - values[i - 1]) * (k + 1) / (length + 1));
            filled += length;
            i = end;
        }

        return filled;
    }

    private static int Column(List<string> header, string name, string path, string field)
    {
        var index = header.FindIndex(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index
            : throw new InvalidDataException($"{path} has no column '{name}'; its columns are {string.Join(", ", header)}. Name the right one in the recipe's series.{field}.");
    }
}
