namespace Anvil.Training.Data;

/// <summary>
/// The values fitted on the training rows for one feature column, replayed on every other file.
/// </summary>
/// <param name="Name">Column name in the CSV header.</param>
/// <param name="Fill">Value that replaces a missing cell, or null when missing cells are not filled.</param>
/// <param name="Lower">Lowest value kept (smaller values are clipped), or null when not clipping.</param>
/// <param name="Upper">Highest value kept (larger values are clipped), or null when not clipping.</param>
/// <example>
/// <code>var age = new CsvFittedColumn("age", Fill: 38.5, Lower: null, Upper: null);</code>
/// </example>
public sealed record CsvFittedColumn(string Name, double? Fill, double? Lower, double? Upper);
