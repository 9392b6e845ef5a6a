using System.Net;
using Anvil.Registry;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>Plans' limits give 429 with Retry-After; the ledger bills exactly the 2xx predictions, retries included.</summary>
public sealed class LimitsAndBillingTests : ServedModelTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        new Plans(Host.Database).Save(new Plan("tiny", RequestsPerMinute: 5, MonthlyQuota: 12, PricePer1000Micros: 2_000_000));
    }

    [Fact]
    public async Task RequestsBeyondThePlansRateGet429UntilTheNextMinute()
    {
        using var client = Host.Client(Host.CreateKey(Host.Acme, plan: "tiny"));
        Host.Time.SetUtcNow(new DateTimeOffset(2026, 11, 28, 12, 0, 15, TimeSpan.Zero));
        for (var i = 0; i < 5; i++)
            Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(client, Requests.Json(Requests.Image(i)))).StatusCode);
        using var limited = await Requests.PredictAsync(client, Requests.Json(Requests.Image(9)));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(45), limited.Headers.RetryAfter?.Delta);
        Assert.Contains("5 requests per minute", await Requests.DetailAsync(limited), StringComparison.Ordinal);

        Host.Time.Advance(TimeSpan.FromSeconds(45));
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(client, Requests.Json(Requests.Image(10)))).StatusCode);
        Assert.Equal(6, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
    }

    [Fact]
    public async Task MonthlyQuotaCountsPredictionsAndResetsNextMonth()
    {
        using var client = Host.Client(Host.CreateKey(Host.Acme, plan: "tiny"));
        var ok = 0;
        HttpResponseMessage? refused = null;
        for (var minute = 0; minute < 10 && refused is null; minute++)
        {
            Host.Time.Advance(TimeSpan.FromMinutes(1));
            var response = await Requests.PredictAsync(client, Requests.Json(Requests.Image(1), Requests.Image(2), Requests.Image(3), Requests.Image(4), Requests.Image(5)));
            if (response.StatusCode == HttpStatusCode.OK)
                ok += 5;
            else
                refused = response;
        }

        Assert.NotNull(refused);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(10, ok); // 5 + 5; a third request of 5 would pass the quota of 12
        Assert.Contains("2 predictions left and this request has 5 inputs; send at most 2", await Requests.DetailAsync(refused), StringComparison.Ordinal);
        Assert.Null(refused.Headers.RetryAfter); // a smaller request succeeds now: nothing to wait for
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(client, Requests.Json(Requests.Image(1), Requests.Image(2)))).StatusCode);
        Assert.Equal(12, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));

        using var usedUp = await Requests.PredictAsync(client, Requests.Json(Requests.Image(1)));
        Assert.Equal(HttpStatusCode.TooManyRequests, usedUp.StatusCode);
        Assert.Contains("monthly quota", await Requests.DetailAsync(usedUp), StringComparison.Ordinal);
        var untilDecember = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero) - Host.Time.GetUtcNow();
        Assert.InRange(usedUp.Headers.RetryAfter!.Delta!.Value.TotalSeconds, untilDecember.TotalSeconds - 1, untilDecember.TotalSeconds + 1);

        Host.Time.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 0, 1, TimeSpan.Zero));
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(client, Requests.Json(Requests.Image(1)))).StatusCode);
        Assert.Equal(1, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 12));
    }

    [Fact]
    public async Task RetriesWithTheSameIdempotencyKeyAreAnsweredAgainAndBilledOnce()
    {
        using var client = Host.Client(Host.CreateKey(Host.Acme));
        using var first = await Requests.PredictAsync(client, Requests.Json(Requests.Image(1), Requests.Image(2)), idempotencyKey: "order-42");
        using var again = await Requests.PredictAsync(client, Requests.Json(Requests.Image(1), Requests.Image(2)), idempotencyKey: "order-42");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal("order-42", (await Requests.ReadJsonAsync(again)).GetProperty("request_id").GetString());

        using var different = await Requests.PredictAsync(client, Requests.Json(Requests.Image(3)), idempotencyKey: "order-42");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, different.StatusCode);
        Assert.Equal(2, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
    }

    [Fact]
    public async Task ConcurrentClientsRetryingTheSameKeysAreBilledExactly()
    {
        using var client = Host.Client(Host.CreateKey(Host.Acme));
        var keys = Enumerable.Range(0, 24).Select(i => $"job-{i}").ToArray();
        var attempts = keys.Concat(keys).Concat(keys).OrderBy(_ => Random.Shared.Next()).ToArray();
        var responses = await Task.WhenAll(attempts.Select(async key =>
        {
            using var response = await Requests.PredictAsync(client, Requests.Json(Requests.Image(key.Length), Requests.Image(7)), idempotencyKey: key);
            return (key, response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        foreach (var group in responses.GroupBy(r => r.key))
            Assert.Single(group.Select(r => r.Body).Distinct()); // every retry got the first answer
        Assert.Equal(keys.Length * 2, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
    }

    [Fact]
    public async Task MalformedIdempotencyKeyIsRefused()
    {
        using var client = Host.Client(Host.CreateKey(Host.Acme));
        using var response = await Requests.PredictAsync(client, Requests.Json(Requests.Image(1)), idempotencyKey: new string('k', 300));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Idempotency-Key", await Requests.DetailAsync(response), StringComparison.Ordinal);
    }
}
