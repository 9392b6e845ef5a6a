using System.Net;
using Anvil.Serving.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Anvil.Serving.Tests;

/// <summary>When the usage ledger cannot be written, predictions get 503 with Retry-After, never a 500, and nothing is half-billed.</summary>
public sealed class LedgerFailureTests : ServedModelTest
{
    private void Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Host.Home.DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    [Fact]
    public async Task AFailedUsageCommitIsA503AndBillsNothing()
    {
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)))).StatusCode);
        // the commit fails as a full disk makes it fail: inside the transaction, after the event's first statement
        Sql("CREATE TRIGGER storage_fails BEFORE INSERT ON predictions BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;");

        using var failed = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(2), Requests.Image(3)), idempotencyKey: "during-outage");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), failed.Headers.RetryAfter?.Delta);
        Assert.Contains("nothing was billed", await Requests.DetailAsync(failed), StringComparison.Ordinal);
        Assert.Equal(1, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11)); // no usage event and no daily row without its predictions

        Sql("DROP TRIGGER storage_fails;");
        using var retried = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(2), Requests.Image(3)), idempotencyKey: "during-outage");
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.False(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(3, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
    }
}
