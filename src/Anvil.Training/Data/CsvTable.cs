using System.Globalization;
using System.Text;

namespace Anvil.Training.Data;

/// <summary>
/// A CSV file split into cells: a required header and rows that must each have as many cells.
/// Fields may be quoted ("a, b" and "" for a quote); a quoted field cannot span lines.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string path, string[] header, List<CsvRow> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
    }

    public string Path { get; }

    public string[] Header { get; }

    /// <summary>Data rows with their 1-based line numbers in the file (the header is line 1).</summary>
    public List<CsvRow> Rows { get; }

    public static CsvTable Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string[]? header = null;
        var rows = new List<CsvRow>();
        var line = 0;
        foreach (var text in File.ReadLines(path))
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
                continue;
            var cells = Split(text, path, line);
            if (header is null)
            {
                header = ValidateHeader(cells, path, line);
                continue;
            }
            if (cells.Length != header.Length)
                throw new InvalidDataException(
                    $"'{path}' line {line} has {cells.Length} cells but the header has {header.Length} columns " +
                    $"({string.Join(", ", header)}). Every row needs one cell per column; leave a cell empty for a missing value.");
            rows.Add(new CsvRow(line, cells));
        }
        if (header is null)
            throw new InvalidDataException($"'{path}' is empty; expected a header line naming the columns, then one line per sample.");
        return new CsvTable(path, header, rows);
    }

    /// <summary>Index of a header column; throws listing the columns when it is absent.</summary>
    public int ColumnIndex(string name, string role)
    {
        var index = Array.IndexOf(Header, name);
        if (index < 0)
            throw new InvalidDataException(
                $"'{Path}' has no {role} column '{name}'. Its columns are: {string.Join(", ", Header)}.");
        return index;
    }

    /// <summary>Parses a cell as a finite number; throws naming the file, line, column and text.</summary>
    public double ParseNumber(CsvRow row, int column)
    {
        var text = row.Cells[column];
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            return value;
        throw new InvalidDataException(
            $"'{Path}' line {row.Line}, column '{Header[column]}': cannot read '{text}' as a number. " +
            "Feature cells must be numbers like 3, -0.5 or 1e-3 (use '.' as the decimal point), or empty when missing.");
    }

    private static string[] ValidateHeader(string[] cells, string path, int line)
    {
        var blank = Array.FindIndex(cells, string.IsNullOrWhiteSpace);
        if (blank >= 0)
            throw new InvalidDataException($"'{path}' line {line} (the header) has an empty name for column {blank + 1}; every column needs a name.");
        var duplicate = cells.GroupBy(c => c, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidDataException($"'{path}' line {line} (the header) names column '{duplicate.Key}' more than once; column names must be unique.");
        return cells;
    }

    private static string[] Split(string text, string path, int line)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted && c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                cell.Append(text[++i]);
            else if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString().Trim());
                cell.Clear();
            }
            else
                cell.Append(c);
        }
        if (quoted)
            throw new InvalidDataException($"'{path}' line {line} has an unclosed quote; close it with \" (quoted fields cannot span lines).");
        cells.Add(cell.ToString().Trim());
        return [.. cells];
    }
}
