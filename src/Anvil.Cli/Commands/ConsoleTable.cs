using Spectre.Console;

namespace Anvil.Cli.Commands;

/// <summary>
/// A table the CLI prints, drawn by Spectre.Console: a header row and aligned columns two spaces apart, without borders
/// or colour, so it reads the same in a terminal, a pipe and a log; never wrapped to the terminal's width, and cells are
/// plain text (a value with brackets is not markup).
/// </summary>
/// <example>
/// <code>
/// new ConsoleTable(("plan", Justify.Left), ("requests/min", Justify.Right))
///     .Add("free", "60")
///     .Write(Console.Out);
/// </code>
/// </example>
internal sealed class ConsoleTable
{
    private const int Unwrapped = 4096; // wider than any row, so Spectre never folds a cell

    private readonly Table _table = new() { Border = TableBorder.None, ShowHeaders = true };

    public ConsoleTable(params (string Header, Justify Alignment)[] columns)
    {
        for (var i = 0; i < columns.Length; i++)
        {
            _table.AddColumn(new TableColumn(new Text(columns[i].Header))
            {
                Alignment = columns[i].Alignment,
                NoWrap = true,
                Padding = new Padding(0, 0, i == columns.Length - 1 ? 0 : 2, 0),
            });
        }
    }

    /// <summary>Adds a row, one cell per column.</summary>
    public ConsoleTable Add(params string[] cells)
    {
        if (cells.Length != _table.Columns.Count)
            throw new ArgumentException($"A row of {cells.Length} cells for a table of {_table.Columns.Count} columns.", nameof(cells));
        _table.AddRow(cells.Select(cell => new Text(cell)));
        return this;
    }

    /// <summary>Writes the table, each line without trailing spaces.</summary>
    public void Write(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        using var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(text),
        });
        console.Profile.Width = Unwrapped;
        console.Write(_table);
        foreach (var line in text.ToString().Split('\n'))
        {
            if (line.TrimEnd() is { Length: > 0 } trimmed)
                writer.WriteLine(trimmed);
        }
    }
}
