using System.Net;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>Moving an alias swaps the served version under load, with no restart and no failed request.</summary>
public sealed class HotSwapTests : IAsyncLifetime
{
    private ServingHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ServingHost.StartAsync();
        _host.AddVersion(_host.Acme, seed: 1);
        _host.AddVersion(_host.Acme, seed: 2);
        _host.Catalog.SetAlias(_host.Acme.Id, "fashion", "champion", 1);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task AliasMoveUnderLoadFailsNoRequest()
    {
        using var client = _host.Client(_host.CreateKey(_host.Acme));
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
        _host.Catalog.SetAlias(_host.Acme.Id, "fashion", "champion", 2);
        _host.Time.Advance(_host.Options.AliasPollInterval); // the router's next poll
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
