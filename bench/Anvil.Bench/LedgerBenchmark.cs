using System.Diagnostics;
using Anvil.Registry.Predictions;
using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;
using Anvil.Registry.Usage;

namespace Anvil.Bench;

/// <summary>
/// The registry work on the path of one prediction, timed alone on SQLite (synchronous=FULL): key
/// lookup, replay check, rate peek, and the group-committed ledger write at group sizes 1 and 32.
/// </summary>
internal static class LedgerBenchmark
{
    public static object Run()
    {
        var directory = Path.Combine(Path.GetTempPath(), "anvil-ledger-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var db = RegistryDatabase.Open(new RegistryOptions(Path.Combine(directory, "registry.db")) { KeyEncryptionKey = Anvil.Registry.Encryption.KeyEncryptionKey.Generate }, TimeProvider.System);
            var organization = new Organizations(db).Create("bench");
            var version = new Anvil.Registry.Models.ModelCatalog(db, TimeProvider.System).AddVersion(organization.Id, "fashion", directory, "digest", null);
            var plans = new Plans(db);
            var plan = plans.Save(new Plan("bench", 100_000_000, 100_000_000_000, 100_000));
            var keys = new ApiKeys(db, TimeProvider.System);
            var secret = keys.Create("bench", "bench").Secret;
            var key = keys.Authenticate(secret).Key!;
            var ledger = new UsageLedger(db, TimeProvider.System);
            var input = new byte[784 * 4];
            var next = 0;
            UsageRequest Request() => new(key, plan, $"r{next++}", "hash", version.ModelId, "fashion", 1,
                [new PredictionRecord($"p{next}", "fashion", 1, input, "1,28,28", 3, "Dress", new float[10])], "{\"response\": true}", FreshId: true); // as the server bills a request without an Idempotency-Key

            return new
            {
                contender = "ledger",
                authenticate_us = Time(2000, () => keys.Authenticate(secret)),
                find_replay_us = Time(2000, () => ledger.FindReplay(key.OrganizationId, "nope", "hash")),
                peek_us = Time(2000, () => ledger.Peek(key, plan)),
                record_group_of_1_us_per_request = Time(300, () => ledger.Record([Request()])),
                record_group_of_32_us_per_request = Time(30, () => ledger.Record([.. Enumerable.Range(0, 32).Select(_ => Request())])) / 32,
            };
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static double Time(int repeats, Action action)
    {
        action();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < repeats; i++)
            action();
        return clock.Elapsed.TotalMicroseconds / repeats;
    }
}
