using System.Text.Json.Serialization;

namespace Anvil.Training.Data;

/// <summary>
/// How <see cref="CsvDatasetReader"/> limits extreme feature values. Bounds are fitted on the
/// training rows and replayed unchanged on every other file. Serialised as <c>none</c>,
/// <c>clip-z-score</c> or <c>clip-percentile</c>.
/// </summary>
/// <example>
/// <code>var policy = new CsvPolicy { LabelColumn = "y", Outliers = OutlierPolicy.ClipZScore, ZScore = 3 };</code>
/// </example>
[JsonConverter(typeof(JsonStringEnumConverter<OutlierPolicy>))]
public enum OutlierPolicy
{
    /// <summary>Keep values as they are.</summary>
    [JsonStringEnumMemberName("none")] None,

    /// <summary>Clip to mean ± <see cref="CsvPolicy.ZScore"/> × standard deviation.</summary>
    [JsonStringEnumMemberName("clip-z-score")] ClipZScore,

    /// <summary>Clip to the <see cref="CsvPolicy.LowerPercentile"/> and <see cref="CsvPolicy.UpperPercentile"/> values.</summary>
    [JsonStringEnumMemberName("clip-percentile")] ClipPercentile,
}
