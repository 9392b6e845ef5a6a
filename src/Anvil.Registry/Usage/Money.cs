using System.Globalization;

namespace Anvil.Registry.Usage;

/// <summary>Amounts are integer micros (1e-6 USD); this is how they are shown.</summary>
public static class Money
{
    /// <summary>Micros as dollars and cents, rounded half up: 27_365_000 → "27.37".</summary>
    public static string Usd(long micros) => ((micros + 5_000) / 10_000 / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A price in micros as dollars with as many decimals as it needs: 500_000 → "0.50".</summary>
    public static string Price(long micros) => (micros / 1e6m).ToString("0.00####", CultureInfo.InvariantCulture);
}
