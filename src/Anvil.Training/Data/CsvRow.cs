namespace Anvil.Training.Data;

/// <summary>One data row of a CSV file and its 1-based line number (the header is line 1).</summary>
internal readonly record struct CsvRow(int Line, string[] Cells);
