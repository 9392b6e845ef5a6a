using System.Globalization;

namespace Anvil.Registry.Storage;

/// <summary>
/// Times are stored as fixed-width ISO-8601 UTC text ("2025-01-02T03:04:05.0000000Z") on both backends, so
/// text order is time order (every value has the same width and punctuation, whatever the collation) and
/// <c>substr(t, 1, 10)</c> is the UTC day.
/// </summary>
internal static class TimeText
{
    public static string From(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static string? From(DateTimeOffset? time) => time is { } value ? From(value) : null;

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
}
