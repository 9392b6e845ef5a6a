using System.Globalization;

namespace Anvil.Registry.Usage;

/// <summary>
/// The fixed UTC windows counters are kept in: the minute (requests) and the month (predictions), named by
/// counter bucket ("2025-01-02T03:04" and "2025-01"; the two shapes never collide).
/// </summary>
internal readonly record struct Windows(string MinuteBucket, DateTimeOffset NextMinute, string MonthBucket, DateTimeOffset NextMonth)
{
    public static Windows At(DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        var minute = new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, TimeSpan.Zero);
        var month = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
        return new Windows(
            minute.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), minute.AddMinutes(1),
            month.ToString("yyyy-MM", CultureInfo.InvariantCulture), month.AddMonths(1));
    }

    /// <summary>[first instant, first instant of the next month) of a UTC calendar month.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Month(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 2000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9998);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        var start = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        return (start, start.AddMonths(1));
    }
}
