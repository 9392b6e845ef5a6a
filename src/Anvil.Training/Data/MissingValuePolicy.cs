using System.Text.Json.Serialization;

namespace Anvil.Training.Data;

/// <summary>
/// What <see cref="CsvDatasetReader"/> does with a missing feature cell (one of
/// <see cref="CsvPolicy.MissingMarkers"/>). Serialised as <c>fail</c>, <c>drop-row</c>,
/// <c>mean</c> or <c>median</c>.
/// </summary>
/// <example>
/// <code>var policy = new CsvPolicy { LabelColumn = "species", MissingValues = MissingValuePolicy.Median };</code>
/// </example>
[JsonConverter(typeof(JsonStringEnumConverter<MissingValuePolicy>))]
public enum MissingValuePolicy
{
    /// <summary>Stop with an error naming the row and the column.</summary>
    [JsonStringEnumMemberName("fail")] Fail,

    /// <summary>Leave the row out (also when its label is missing).</summary>
    [JsonStringEnumMemberName("drop-row")] DropRow,

    /// <summary>Fill with the column mean of the training rows.</summary>
    [JsonStringEnumMemberName("mean")] Mean,

    /// <summary>Fill with the column median of the training rows.</summary>
    [JsonStringEnumMemberName("median")] Median,
}
