using System.Net;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>Moving an alias swaps the served version under load, with no restart and no failed request.</summary>
public sealed class HotSwapTests : ServedModelTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host.AddVersion(Host.Acme, seed: 2);
        Host.Catalog.SetAlias(Host.Acme.Id, "fashion", "champion", 1);
    }

    [Fact]
    public async Task AliasMoveUnderLoadFailsNoRequest()
    {
        using var client = Host.Client(Host.CreateKey(Host.Acme));
        using var stop = new CancellationTokenSource();
        var seen = new System.Collections.Concurrent.ConcurrentBag<(HttpStatusCode Status, int Version)>();
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await Requests.PredictAsync(client, Requests.Json(Requests.Image(worker)));
                var version = response.IsSuccessStatusCode ? (await Requests.ReadJsonAsync(response)).GetProperty("version").GetInt32() : -1;
                seen.Add((response.StatusCode, version));
            }
        })).ToArray();

        await WaitUntil(() => seen.Count(s => s.Version == 1) >= 20);
        Host.Catalog.SetAlias(Host.Acme.Id, "fashion", "champion", 2);
        Host.Time.Advance(Host.Options.AliasPollInterval); // the router's next poll
        await WaitUntil(() => seen.Count(s => s.Version == 2) >= 20);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.All(seen, s => Assert.Equal(HttpStatusCode.OK, s.Status));
        Assert.Contains(seen, s => s.Version == 1);
        Assert.Contains(seen, s => s.Version == 2);
        using var after = await Requests.PredictAsync(client, Requests.Json(Requests.Image(1)));
        Assert.Equal(2, (await Requests.ReadJsonAsync(after)).GetProperty("version").GetInt32());
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the swap");
            await Task.Delay(20);
        }
    }
}
