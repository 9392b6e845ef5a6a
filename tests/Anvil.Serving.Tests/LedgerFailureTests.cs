using System.Net;
using Anvil.Serving.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Anvil.Serving.Tests;

/// <summary>When the usage ledger cannot be written, predictions get 503 with Retry-After, never a 500, and nothing is half-billed; other routes get 503 too.</summary>
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

    [Fact]
    public async Task AUsageCommitTheDiskDidNotConfirmIsA503ThatSaysItMayBeBilledAndItsRetryReplaysWithoutASecondCharge()
    {
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)))).StatusCode);
        using (var failed = await WhileTheFlushFailsAsync(() => Requests.PredictAsync(Client, Requests.Json(Requests.Image(2), Requests.Image(3)), idempotencyKey: "disk-trouble")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), failed.Headers.RetryAfter?.Delta);
            var detail = await Requests.DetailAsync(failed);
            Assert.Contains("may be billed", detail, StringComparison.Ordinal);
            Assert.DoesNotContain("nothing was billed", detail, StringComparison.Ordinal);
        }

        Assert.Equal(3, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11)); // the commit stands
        using var retried = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(2), Requests.Image(3)), idempotencyKey: "disk-trouble");
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.True(retried.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(3, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
        using var health = await Client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task WithoutAKeyTheUnconfirmed503GivesTheRequestIdAsTheKeyWhoseRetryReplaysWithoutASecondCharge()
    {
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)))).StatusCode);
        string requestId;
        using (var failed = await WhileTheFlushFailsAsync(() => Requests.PredictAsync(Client, Requests.Json(Requests.Image(2), Requests.Image(3)))))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
            var detail = await Requests.DetailAsync(failed);
            Assert.Contains("may be billed", detail, StringComparison.Ordinal);
            requestId = System.Text.RegularExpressions.Regex.Match(detail, "'Idempotency-Key: (req_[^']+)'").Groups[1].Value;
            Assert.NotEmpty(requestId);
        }

        Assert.Equal(3, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11)); // the commit stands
        using var retried = await Requests.PredictAsync(Client, Requests.Json(Requests.Image(2), Requests.Image(3)), idempotencyKey: requestId);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.True(retried.Headers.Contains("Idempotent-Replayed")); // the stored answer, not a second inference
        Assert.Equal(requestId, (await Requests.ReadJsonAsync(retried)).GetProperty("request_id").GetString());
        Assert.Equal(3, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
    }

    [Fact]
    public async Task ADatabaseFailureOutsidePredictIsA503WithRetryAfterAndTheSameRequestsSucceedOnceItIsMended()
    {
        var id = (await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1))))).GetProperty("predictions")[0].GetProperty("id").GetString()!;
        // a write fails as a full disk makes it fail, then a read fails as a lost table (or database) makes it fail
        Sql("CREATE TRIGGER storage_fails BEFORE INSERT ON feedback BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END;");
        using (var write = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": "Sneaker"}""")))
            await AssertUnavailableAsync(write); // was the exception handler's 500
        Sql("DROP TRIGGER storage_fails; ALTER TABLE feedback RENAME TO feedback_held;");
        try
        {
            using var read = await Client.GetAsync(new Uri("/v1/feedback", UriKind.Relative));
            await AssertUnavailableAsync(read);
            using var health = await Client.GetAsync(new Uri("/healthz", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            Sql("ALTER TABLE feedback_held RENAME TO feedback;");
        }

        Assert.Equal(0, (await Requests.ReadJsonAsync(await Client.GetAsync(new Uri("/v1/feedback", UriKind.Relative)))).GetProperty("items").GetArrayLength());
        using var again = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson("""{"label": "Sneaker"}"""));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(1, (await Requests.ReadJsonAsync(await Client.GetAsync(new Uri("/v1/feedback", UriKind.Relative)))).GetProperty("items").GetArrayLength());
    }

    private static async Task AssertUnavailableAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        Assert.Equal(Api.Problems.DatabaseUnavailable, await Requests.DetailAsync(response));
    }
}
