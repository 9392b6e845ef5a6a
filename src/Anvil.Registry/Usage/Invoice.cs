namespace Anvil.Registry.Usage;

/// <summary>
/// What an organization owes for one UTC calendar month [<see cref="PeriodStart"/>, <see cref="PeriodEnd"/>),
/// in micros (1e-6 USD). <see cref="TotalMicros"/> is the sum of the lines' amounts.
/// </summary>
public sealed record Invoice(
    string OrganizationId,
    string OrganizationName,
    int Year,
    int Month,
    DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd,
    IReadOnlyList<InvoiceLine> Lines,
    long TotalMicros)
{
    /// <summary>Predictions billed in the month: the sum of the lines.</summary>
    public long Predictions => Lines.Sum(line => line.Predictions);

    /// <summary>The total in dollars and cents, e.g. "27.37".</summary>
    public string TotalUsd => Money.Usd(TotalMicros);

    /// <summary>Only the lines of models <paramref name="key"/> may use, and their total: what that key is shown.</summary>
    public Invoice ScopedTo(Tenancy.ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var visible = Lines.Where(line => key.MayUse(line.ModelName)).ToList();
        return this with { Lines = visible, TotalMicros = visible.Aggregate(0L, (sum, line) => checked(sum + line.AmountMicros)) };
    }
}
