using System.Data.Common;
using System.Globalization;

namespace Anvil.Registry.Storage;

/// <summary>Column reads that behave the same on SQLite (INTEGER, TEXT times) and PostgreSQL (BIGINT, NUMERIC sums).</summary>
internal static class DbReading
{
    /// <summary>Any integer or numeric column (PostgreSQL's SUM of BIGINT is NUMERIC); NULL reads as 0.</summary>
    public static long GetLong(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0 : Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);

    public static int GetInt(this DbDataReader reader, int ordinal) => checked((int)reader.GetLong(ordinal));

    public static string? GetNullableString(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset GetTime(this DbDataReader reader, int ordinal) => TimeText.Parse(reader.GetString(ordinal));

    public static DateTimeOffset? GetNullableTime(this DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : TimeText.Parse(reader.GetString(ordinal));

    public static long ToLong(object? value) =>
        value is null or DBNull ? 0 : Convert.ToInt64(value, CultureInfo.InvariantCulture);
}
