using Anvil.Cli.Commands;
using Spectre.Console;

namespace Anvil.Cli.Tests;

/// <summary>The CLI's tables (Spectre.Console): aligned, plain text, never wrapped, no trailing spaces.</summary>
public class ConsoleTableTests
{
    private static string[] Lines(ConsoleTable table)
    {
        using var writer = new StringWriter();
        table.Write(writer);
        return writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public void ColumnsAreAlignedTwoSpacesApartWithNumbersOnTheRight()
    {
        var lines = Lines(new ConsoleTable(("plan", Justify.Left), ("requests/min", Justify.Right), ("name", Justify.Left))
            .Add("free", "60", "")
            .Add("enterprise", "6,000", "big one"));

        Assert.Equal(
        [
            "plan        requests/min  name",
            "free                  60",
            "enterprise         6,000  big one",
        ], lines);
    }

    [Fact]
    public void CellsArePlainTextAndLongRowsAreNotWrapped()
    {
        var wide = new string('x', 300);
        var lines = Lines(new ConsoleTable(("id", Justify.Left), ("value", Justify.Left)).Add("[bold]a[/]", wide));

        Assert.Equal(2, lines.Length); // one header, one row: not folded to any terminal width
        Assert.Equal($"[bold]a[/]  {wide}", lines[1]); // brackets are text, not Spectre markup
    }

    [Fact]
    public void ARowMustHaveOneCellPerColumn()
    {
        var error = Assert.Throws<ArgumentException>(() => new ConsoleTable(("a", Justify.Left), ("b", Justify.Left)).Add("only one"));
        Assert.Contains("1 cells for a table of 2 columns", error.Message, StringComparison.Ordinal);
    }
}
