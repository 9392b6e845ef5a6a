using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anvil.Training.Data;

/// <summary>
/// The explicit cleaning policy for a CSV data set. An unfitted policy states the choices;
/// <see cref="CsvDatasetReader.Fit"/> returns a fitted copy that also holds the class names and
/// the per-column statistics learned from the training rows, so validation, test and serving
/// data are cleaned with exactly the same values. Round-trips through JSON
/// (<see cref="ToJson"/> / <see cref="FromJson"/>).
/// </summary>
/// <example>
/// <code>
/// var policy = new CsvPolicy { LabelColumn = "species", MissingValues = MissingValuePolicy.Mean };
/// var (train, fitted) = CsvDatasetReader.Fit("train.csv", policy);
/// File.WriteAllText("policy.json", fitted.ToJson());
/// using var test = CsvDatasetReader.Read("test.csv", fitted);
/// </code>
/// </example>
public sealed record CsvPolicy
{

    /// <summary>Header name of the label column.</summary>
    public required string LabelColumn { get; init; }

    /// <summary>Header names of the feature columns, in order; null means every other column.</summary>
    public IReadOnlyList<string>? FeatureColumns { get; init; }

    /// <summary>
    /// Class names indexed by label. A label cell matches a name, or else is an integer index.
    /// When null, <see cref="CsvDatasetReader.Fit"/> infers them: integer labels 0..max become
    /// "0".."max"; other labels become their distinct values sorted ordinally.
    /// </summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>What to do with a missing feature cell.</summary>
    public MissingValuePolicy MissingValues { get; init; } = MissingValuePolicy.Fail;

    /// <summary>Cell texts (trimmed, case-insensitive) that mean "missing".</summary>
    public IReadOnlyList<string> MissingMarkers { get; init; } = ["", "NA", "N/A", "NaN", "null"];

    /// <summary>How extreme values are limited.</summary>
    public OutlierPolicy Outliers { get; init; } = OutlierPolicy.None;

    /// <summary>Number of standard deviations kept by <see cref="OutlierPolicy.ClipZScore"/>.</summary>
    public double ZScore { get; init; } = 3;

    /// <summary>Lower percentile (0–100) kept by <see cref="OutlierPolicy.ClipPercentile"/>.</summary>
    public double LowerPercentile { get; init; } = 1;

    /// <summary>Upper percentile (0–100) kept by <see cref="OutlierPolicy.ClipPercentile"/>.</summary>
    public double UpperPercentile { get; init; } = 99;

    /// <summary>Per-column values fitted on the training rows; null until fitted.</summary>
    public IReadOnlyList<CsvFittedColumn>? Fitted { get; init; }

    /// <summary>True once <see cref="CsvDatasetReader.Fit"/> has filled in the fitted values.</summary>
    [JsonIgnore]
    public bool IsFitted => Fitted is not null && ClassNames is not null && FeatureColumns is not null;

    /// <summary>Serialises the policy (camelCase, indented).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, TrainingJson.Options);

    /// <summary>Reads a policy written by <see cref="ToJson"/>.</summary>
    public static CsvPolicy FromJson(string json) =>
        JsonSerializer.Deserialize<CsvPolicy>(json, TrainingJson.Options)
        ?? throw new JsonException("The CSV policy JSON is 'null'; expected an object with at least \"labelColumn\".");

    /// <summary>Checks the numeric settings; throws naming the setting and its valid range.</summary>
    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(LabelColumn);
        if (Outliers == OutlierPolicy.ClipZScore)
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ZScore);
        if (Outliers == OutlierPolicy.ClipPercentile && !(LowerPercentile >= 0 && LowerPercentile < UpperPercentile && UpperPercentile <= 100))
            throw new ArgumentOutOfRangeException(nameof(LowerPercentile),
                $"Percentiles {LowerPercentile} and {UpperPercentile} are invalid; expected 0 <= LowerPercentile < UpperPercentile <= 100, e.g. 1 and 99.");
    }
}
