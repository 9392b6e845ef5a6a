using Anvil.Registry;

namespace Anvil.Serving.Metering;

/// <summary>
/// The writes a request makes on its key's counters before inference — reservations, refunds, counted bad
/// requests — one at a time per process. Waiting requests await asynchronously instead of each blocking a
/// thread on the database's write lock, so a burst never starves the thread pool (/healthz, reads, answers).
/// </summary>
public sealed class Admission(UsageLedger ledger) : IDisposable
{
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>See <see cref="UsageLedger.Reserve"/>.</summary>
    public Task<Reservation> ReserveAsync(ApiKey key, Plan plan, int inputs) => RunAsync(() => ledger.Reserve(key, plan, inputs));

    /// <summary>See <see cref="UsageLedger.Refund"/>.</summary>
    public Task RefundAsync(Reservation reservation) => RunAsync(() =>
    {
        ledger.Refund(reservation);
        return true;
    });

    /// <summary>See <see cref="UsageLedger.CountRequest"/>.</summary>
    public Task CountRequestAsync(ApiKey key, Plan plan) => RunAsync(() =>
    {
        ledger.CountRequest(key, plan);
        return true;
    });

    private async Task<T> RunAsync<T>(Func<T> work)
    {
        await _writer.WaitAsync().ConfigureAwait(false);
        try
        {
            return work();
        }
        finally
        {
            _writer.Release();
        }
    }

    public void Dispose() => _writer.Dispose();
}
