using System.Globalization;
using static TorchSharp.torch;

namespace Anvil.Training.Data;

/// <summary>
/// Reads a CSV file (header required) into an (N, F) float32 <see cref="TensorDataset"/>:
/// numeric feature columns and one label column, cleaned by an explicit <see cref="CsvPolicy"/>.
/// <see cref="Fit"/> learns the policy's statistics and class names from the training file only;
/// <see cref="Read"/> replays a fitted policy on any other file, so nothing leaks from test data.
/// </summary>
/// <example>
/// <code>
/// var (train, fitted) = CsvDatasetReader.Fit("train.csv", new CsvPolicy { LabelColumn = "label" });
/// using var test = CsvDatasetReader.Read("test.csv", fitted);
/// </code>
/// </example>
public static class CsvDatasetReader
{
    private const int MaxInferredIntegerLabel = 65_535;

    /// <summary>Reads the training file and returns its data with the policy fitted on it.</summary>
    public static (TensorDataset Data, CsvPolicy Policy) Fit(string trainPath, CsvPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        var table = CsvTable.Load(trainPath);
        var featureNames = policy.FeatureColumns ?? [.. table.Header.Where(h => h != policy.LabelColumn)];
        var rows = Parse(table, policy, featureNames);
        var fitted = FitPolicy(table.Path, rows, policy, featureNames, policy.ClassNames ?? InferClassNames(rows.Select(r => r.Label)));
        return (Build(table.Path, rows, fitted), fitted);
    }

    /// <summary>
    /// Reads one file and holds out a stratified share of its rows for testing. The policy is fitted
    /// on the training rows only (or replayed when already fitted), so no test row moves a fill value
    /// or a clipping bound; class names come from every row, since a label is not a statistic.
    /// </summary>
    /// <param name="testFraction">Share of rows held out, in (0, 1).</param>
    /// <param name="seed">Seed of the split; the same seed gives the same split.</param>
    public static (TensorDataset Train, TensorDataset Test, CsvPolicy Policy) FitHoldOut(string path, CsvPolicy policy, double testFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        var table = CsvTable.Load(path);
        var featureNames = policy.FeatureColumns ?? [.. table.Header.Where(h => h != policy.LabelColumn)];
        var rows = Parse(table, policy, featureNames);
        var classNames = policy.ClassNames ?? InferClassNames(rows.Select(r => r.Label));
        var classIndex = ClassIndex(classNames);
        var labels = rows.Select(r => LabelIndex(table.Path, r.Line, r.Label, classIndex, classNames)).ToArray();
        var (trainIndices, testIndices) = DataSplit.SplitIndices(labels, testFraction, seed);
        var trainRows = trainIndices.Select(i => rows[(int)i]).ToList();
        var fitted = policy.IsFitted ? policy : FitPolicy(table.Path, trainRows, policy, featureNames, classNames);
        return (Build(table.Path, trainRows, fitted), Build(table.Path, [.. testIndices.Select(i => rows[(int)i])], fitted), fitted);
    }

    private static CsvPolicy FitPolicy(string path, List<(int Line, double?[] Features, string Label)> rows, CsvPolicy policy,
        IReadOnlyList<string> featureNames, IReadOnlyList<string> classNames) => policy with
    {
        FeatureColumns = featureNames,
        ClassNames = classNames,
        Fitted = [.. featureNames.Select((name, f) => FitColumn(path, name, PresentValues(rows, f), policy))],
    };

    private static Dictionary<string, long> ClassIndex(IReadOnlyList<string> classNames) =>
        classNames.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => (long)p.i, StringComparer.Ordinal);

    /// <summary>Reads a validation, test or serving file with a policy returned by <see cref="Fit"/>.</summary>
    public static TensorDataset Read(string path, CsvPolicy fittedPolicy)
    {
        ArgumentNullException.ThrowIfNull(fittedPolicy);
        if (!fittedPolicy.IsFitted)
            throw new ArgumentException(
                "The CSV policy is not fitted; call CsvDatasetReader.Fit on the training file first and pass the policy it returns.",
                nameof(fittedPolicy));
        fittedPolicy.Validate();
        var table = CsvTable.Load(path);
        return Build(table.Path, Parse(table, fittedPolicy, fittedPolicy.FeatureColumns!), fittedPolicy);
    }

    /// <summary>Parses the kept rows: features (null = missing) and the raw label text.</summary>
    private static List<(int Line, double?[] Features, string Label)> Parse(CsvTable table, CsvPolicy policy, IReadOnlyList<string> featureNames)
    {
        var labelIndex = table.ColumnIndex(policy.LabelColumn, "label");
        if (featureNames.Count == 0 || featureNames.Contains(policy.LabelColumn))
            throw new ArgumentException(
                $"Feature columns [{string.Join(", ", featureNames)}] must be non-empty and must not include the label column '{policy.LabelColumn}'.");
        var featureIndices = featureNames.Select(name => table.ColumnIndex(name, "feature")).ToArray();
        var missing = new HashSet<string>(policy.MissingMarkers, StringComparer.OrdinalIgnoreCase);
        var dropRows = policy.MissingValues == MissingValuePolicy.DropRow;
        var rows = new List<(int, double?[], string)>();
        foreach (var row in table.Rows)
        {
            var features = new double?[featureIndices.Length];
            var complete = true;
            for (var f = 0; f < featureIndices.Length; f++)
            {
                if (!missing.Contains(row.Cells[featureIndices[f]]))
                    features[f] = table.ParseNumber(row, featureIndices[f]);
                else if (policy.MissingValues == MissingValuePolicy.Fail)
                    throw MissingCell(table, row, featureIndices[f], "the missing-value policy is 'fail'; to accept missing values pass --missing-values drop-row, mean or median (recipe field \"missing_values\")");
                else
                    complete = false;
            }
            var label = row.Cells[labelIndex];
            if (missing.Contains(label) && !dropRows)
                throw MissingCell(table, row, labelIndex, "every row needs a label; fix the row or pass --missing-values drop-row");
            if (dropRows && (!complete || missing.Contains(label)))
                continue;
            rows.Add((row.Line, features, label));
        }
        if (rows.Count == 0)
            throw new InvalidDataException($"'{table.Path}' has no usable rows after applying the missing-value policy '{policy.MissingValues}'; expected at least one.");
        return rows;
    }

    private static InvalidDataException MissingCell(CsvTable table, CsvRow row, int column, string fix) =>
        new($"'{table.Path}' line {row.Line}, column '{table.Header[column]}' is missing ('{row.Cells[column]}'): {fix}.");

    /// <summary>Integer labels 0..max become "0".."max"; anything else becomes its distinct values, sorted ordinally.</summary>
    private static List<string> InferClassNames(IEnumerable<string> labels)
    {
        var distinct = labels.Distinct(StringComparer.Ordinal).ToList();
        var integers = distinct.Select(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1).ToList();
        if (integers.All(v => v is >= 0 and <= MaxInferredIntegerLabel))
            return [.. Enumerable.Range(0, integers.Max() + 1).Select(i => i.ToString(CultureInfo.InvariantCulture))];
        return [.. distinct.Order(StringComparer.Ordinal)];
    }

    private static List<double> PresentValues(List<(int Line, double?[] Features, string Label)> rows, int column) =>
        [.. rows.Select(r => r.Features[column]).OfType<double>()];

    private static CsvFittedColumn FitColumn(string path, string name, List<double> present, CsvPolicy policy)
    {
        var fills = policy.MissingValues is MissingValuePolicy.Mean or MissingValuePolicy.Median;
        if (present.Count == 0 && (fills || policy.Outliers != OutlierPolicy.None))
            throw new InvalidDataException($"'{path}' column '{name}' has no values in the training rows, so it cannot be fitted; drop the column or fill it.");
        double? fill = policy.MissingValues switch
        {
            MissingValuePolicy.Mean => ColumnStatistics.Mean(present),
            MissingValuePolicy.Median => ColumnStatistics.Median(present),
            _ => null,
        };
        return policy.Outliers switch
        {
            OutlierPolicy.ClipZScore => new(name, fill,
                ColumnStatistics.Mean(present) - policy.ZScore * ColumnStatistics.StandardDeviation(present),
                ColumnStatistics.Mean(present) + policy.ZScore * ColumnStatistics.StandardDeviation(present)),
            OutlierPolicy.ClipPercentile => new(name, fill,
                ColumnStatistics.Percentile(present, policy.LowerPercentile),
                ColumnStatistics.Percentile(present, policy.UpperPercentile)),
            _ => new(name, fill, null, null),
        };
    }

    private static TensorDataset Build(string path, List<(int Line, double?[] Features, string Label)> rows, CsvPolicy policy)
    {
        var columns = policy.Fitted!;
        var classNames = policy.ClassNames!;
        var classIndex = ClassIndex(classNames);
        var features = new float[checked(rows.Count * columns.Count)];
        var labels = new long[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var f = 0; f < columns.Count; f++)
            {
                var value = rows[r].Features[f] ?? columns[f].Fill
                    ?? throw new InvalidDataException($"Column '{columns[f].Name}' has no fitted fill value for the missing cell on line {rows[r].Line} of '{path}'; refit the policy with the mean or median missing-value policy.");
                features[(r * columns.Count) + f] = (float)Math.Clamp(value, columns[f].Lower ?? double.MinValue, columns[f].Upper ?? double.MaxValue);
            }
            labels[r] = LabelIndex(path, rows[r].Line, rows[r].Label, classIndex, classNames);
        }
        return new TensorDataset(tensor(features, [rows.Count, columns.Count]), tensor(labels, [rows.Count]), classNames); // (N, F), (N)
    }

    private static long LabelIndex(string path, int line, string label, Dictionary<string, long> classIndex, IReadOnlyList<string> classNames)
    {
        if (classIndex.TryGetValue(label, out var index))
            return index;
        if (long.TryParse(label, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) && number >= 0 && number < classNames.Count)
            return number;
        throw new InvalidDataException(
            $"'{path}' line {line}: label '{label}' is neither one of the {classNames.Count} classes " +
            $"({string.Join(", ", classNames)}) nor a class index in [0, {classNames.Count - 1}]. Fix the row or add the class to ClassNames.");
    }
}
