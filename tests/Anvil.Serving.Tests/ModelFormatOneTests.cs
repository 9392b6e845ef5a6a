using System.Net;
using System.Text.Json;
using Anvil.Registry.Versions;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>
/// A model version sealed as anvil.model/1 by the Anvil before anvil.model/2 (a tiny-cnn on 28×28 grey
/// images, signed by that home's key) still loads and serves, under a server that pins that key.
/// </summary>
public sealed class ModelFormatOneTests
{
    private const string Digest = "375c3fe56af551681b951d432d67dc290a2fc36decd46de63ac6d80917b829b7";
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "TestData", "model-v1");

    [Fact]
    public async Task AnAnvilModel1VersionStillAnswersWithTenClassProbabilities()
    {
        await using var host = await ServingHost.StartAsync();
        var directory = Path.Combine(host.Home.Directory, "models", "sha256-" + Digest);
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(Path.Combine(Fixture, "models", "sha256-" + Digest)))
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        host.Catalog.AddVersion(host.Acme.Id, "legacy", directory, Digest, runId: null);
        using var verifier = ManifestSigner.OpenForVerification(host.Home, Path.Combine(Fixture, "keys", "manifest-signing.pub.pem"));
        await using var app = ServingApp.Build(host.Options, host.Database, verifier, host.Time);
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", host.CreateKey(host.Acme));

        using var response = await Requests.PredictAsync(client, Requests.RawJson(JsonSerializer.Serialize(new { inputs = new[] { new float[784] } })), model: "legacy");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var prediction = (await Requests.ReadJsonAsync(response)).GetProperty("predictions")[0];
        Assert.Equal(ServingHost.Classes, prediction.GetProperty("probabilities").EnumerateObject().Select(p => p.Name));
        Assert.Equal(1.0, prediction.GetProperty("probabilities").EnumerateObject().Sum(p => p.Value.GetDouble()), 4);
        await app.StopAsync();
    }
}
