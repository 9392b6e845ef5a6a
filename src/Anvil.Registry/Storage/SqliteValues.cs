using System.Globalization;

namespace Anvil.Registry.Storage;

/// <summary>How times and metric values are written to and read from SQLite columns.</summary>
internal static class SqliteValues
{
    /// <summary>Fixed-width ISO-8601 UTC ("2025-01-02T03:04:05.0000000Z"), so text order is time order.</summary>
    public static string ToText(DateTimeOffset time) => TimeText.From(time);

    public static DateTimeOffset ToTime(string text) => TimeText.Parse(text);

    /// <summary>SQLite turns a NaN REAL into NULL, so NaN (a diverged loss) is written as NULL on purpose.</summary>
    public static object ToColumn(double value) => double.IsNaN(value) ? DBNull.Value : value;

    public static double ToDouble(object column) => column is DBNull ? double.NaN : Convert.ToDouble(column, CultureInfo.InvariantCulture);
}
