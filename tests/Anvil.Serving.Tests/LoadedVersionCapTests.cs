using System.Net;
using Anvil.Serving.Inference;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>
/// Loaded versions are capped in total and per organization: the least recently used version with no
/// request in flight is unloaded to make room, and one tenant's old versions never push out another's.
/// </summary>
public sealed class LoadedVersionCapTests
{
    [Fact]
    public async Task AskingForMoreVersionsThanTheCapUnloadsTheLeastRecentlyUsedButNotOneInFlight()
    {
        await using var host = await ServingHost.StartAsync(new ServingOptions { MaxLoadedVersions = 3, MaxLoadedVersionsPerOrganization = 3 });
        var versions = Enumerable.Range(1, 5).Select(seed => host.AddVersion(host.Acme, seed: seed)).ToList();
        var router = host.Service<ModelRouter>();
        using var client = host.Client(host.CreateKey(host.Acme));
        using var held = router.Acquire(host.Acme.Id, "fashion", alias: null, version: 1)!; // a request in flight the whole time

        foreach (var version in new[] { 2, 3, 4, 5, 2 })
        {
            using var response = await Requests.PredictAsync(client, Requests.Json(Requests.Image(version)), query: $"?version={version}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(router.LoadedModels.Count() <= 3, $"{router.LoadedModels.Count()} versions loaded after version {version}; the cap is 3");
        }

        // 4 pushed out 2 and 5 pushed out 3 (least recently used); 2 again pushed out 4; 1 stayed, in flight
        Assert.Equal(Digests(versions, 1, 5, 2), router.LoadedModels.Select(m => m.Version.ManifestDigest).Order(StringComparer.Ordinal));
        var probabilities = await held.Model.Batcher.PredictAsync(host.Acme.Id, new float[held.Model.Batcher.SampleSize], 1, out var accepted);
        Assert.True(accepted);
        Assert.Equal(ServingHost.Classes.Length, probabilities.Length);
    }

    [Fact]
    public async Task WhenEveryLoadedVersionIsAnsweringARequestAnotherVersionGets503()
    {
        await using var host = await ServingHost.StartAsync(new ServingOptions { MaxLoadedVersions = 1, MaxLoadedVersionsPerOrganization = 1 });
        host.AddVersion(host.Acme, seed: 1);
        host.AddVersion(host.Acme, seed: 2);
        using var client = host.Client(host.CreateKey(host.Acme));
        using var held = host.Service<ModelRouter>().Acquire(host.Acme.Id, "fashion", alias: null, version: 1)!;

        using var refused = await Requests.PredictAsync(client, Requests.Json(Requests.Image(1)), query: "?version=2");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("1", refused.Headers.RetryAfter?.ToString());
        Assert.Contains("loaded", await Requests.DetailAsync(refused), StringComparison.Ordinal);

        held.Dispose(); // once the request is answered, its version can make room
        using var served = await Requests.PredictAsync(client, Requests.Json(Requests.Image(1)), query: "?version=2");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Single(host.Service<ModelRouter>().LoadedModels);
    }

    [Fact]
    public async Task OneOrganizationsOldVersionsDoNotPushOutAnothersBeyondItsShare()
    {
        await using var host = await ServingHost.StartAsync(new ServingOptions { MaxLoadedVersions = 3, MaxLoadedVersionsPerOrganization = 2 });
        var theirs = host.AddVersion(host.Globex, name: "gadget", seed: 9);
        var ours = Enumerable.Range(1, 4).Select(seed => host.AddVersion(host.Acme, seed: seed)).ToList();
        var router = host.Service<ModelRouter>();
        using var globex = host.Client(host.CreateKey(host.Globex));
        using var acme = host.Client(host.CreateKey(host.Acme));
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(globex, Requests.Json(Requests.Image(1)), model: "gadget")).StatusCode);

        foreach (var version in ours)
        {
            using var response = await Requests.PredictAsync(acme, Requests.Json(Requests.Image(1)), query: $"?version={version.Version}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var loaded = router.LoadedModels.Select(m => m.Version.ManifestDigest).ToList();
        Assert.Contains(theirs.ManifestDigest, loaded); // globex's version, least recently used of all, is still loaded
        Assert.Equal(2, ours.Count(v => loaded.Contains(v.ManifestDigest)));
    }

    [Fact]
    public async Task AliasedVersionsLoadOnTheirFirstRequestNotAtEveryPoll()
    {
        await using var host = await ServingHost.StartAsync();
        host.AddVersion(host.Acme, seed: 1);
        var challenger = host.AddVersion(host.Acme, seed: 2);
        host.Catalog.SetAlias(host.Acme.Id, "fashion", "champion", 1);
        host.Catalog.SetAlias(host.Acme.Id, "fashion", "challenger", 2);
        var router = host.Service<ModelRouter>();
        router.Refresh();
        Assert.Empty(router.LoadedModels); // polling aliases loads nothing: an unused alias costs no session

        using var client = host.Client(host.CreateKey(host.Acme));
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(client, Requests.Json(Requests.Image(1)), query: "?alias=challenger")).StatusCode);
        router.Refresh();
        Assert.Equal([challenger.ManifestDigest], router.LoadedModels.Select(m => m.Version.ManifestDigest));
    }

    private static IEnumerable<string> Digests(List<ModelVersion> versions, params int[] numbers) =>
        numbers.Select(n => versions[n - 1].ManifestDigest).Order(StringComparer.Ordinal);
}
