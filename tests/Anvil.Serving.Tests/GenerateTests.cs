using System.Net;
using Anvil.Registry.Tenancy;
using Anvil.Serving.Generation;
using Anvil.Serving.Tests.Support;
using Anvil.Training.Models;
using SkiaSharp;

namespace Anvil.Serving.Tests;

/// <summary>A generator served: {"count", "seed"} in, base64 PNGs out, the same for the same seed, billed per image, limited like predictions.</summary>
public sealed class GenerateTests : ServedModelTest
{
    private const int Noise = 16;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host.AddVersion(Host.Acme, "dcgan", seed: 3, spec: Dcgan.Generator([1, 28, 28], Noise));
    }

    private static Task<HttpResponseMessage> GenerateAsync(HttpClient client, string json, string model = "dcgan") =>
        client.PostAsync($"/v1/models/{model}/generate", Requests.RawJson(json));

    private static string[] Images(System.Text.Json.JsonElement body) =>
        body.GetProperty("images").EnumerateArray().Select(i => i.GetProperty("png_base64").GetString()!).ToArray();

    [Fact]
    public async Task TheSameSeedGivesTheSameImagesWhichAreTheGraphsPixelsAsPng()
    {
        using var first = await GenerateAsync(Client, """{"count": 3, "seed": 7}""");
        using var again = await GenerateAsync(Client, """{"count": 3, "seed": 7}""");
        using var other = await GenerateAsync(Client, """{"count": 3, "seed": 8}""");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await Requests.ReadJsonAsync(first);
        var images = Images(body);

        Assert.Equal(3, images.Length);
        Assert.Equal(7, body.GetProperty("seed").GetInt32());
        Assert.Equal(images, Images(await Requests.ReadJsonAsync(again)));
        Assert.Empty(images.Intersect(Images(await Requests.ReadJsonAsync(other))));
        // The first image is what ONNX Runtime makes in process from the seed's noise, each pixel v as the byte round(255·v).
        var expected = Host.RunInProcess("dcgan", GeneratorNoise.Sample(1, Noise, 7));
        using var bitmap = SKBitmap.Decode(Convert.FromBase64String(images[0]));
        Assert.Equal((28, 28), (bitmap.Width, bitmap.Height));
        for (var y = 0; y < 28; y++)
            for (var x = 0; x < 28; x++)
                Assert.Equal((byte)Math.Round(expected[y * 28 + x] * 255f), bitmap.GetPixel(x, y).Red);
    }

    [Fact]
    public async Task EachImageIsABilledPredictionAndAServerChosenSeedReproducesThem()
    {
        var before = Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11);
        var body = await Requests.ReadJsonAsync(await GenerateAsync(Client, """{"count": 4}"""));
        var seed = body.GetProperty("seed").GetInt32();
        var replayed = await Requests.ReadJsonAsync(await GenerateAsync(Client, $$"""{"count": 4, "seed": {{seed}}}"""));

        Assert.Equal(Images(body), Images(replayed));
        Assert.Equal(before + 8, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
        var id = body.GetProperty("images")[0].GetProperty("id").GetString()!;
        Assert.Equal($"noise:{Noise}", Host.Ledger.FindPrediction(Host.Acme.Id, id)!.InputShape);
    }

    [Theory]
    [InlineData("""{"count": 0, "seed": 1}""", HttpStatusCode.BadRequest, "count must be 1 or more")]
    [InlineData("""{"count": 2, "seed": -5}""", HttpStatusCode.BadRequest, "seed must be 0 to 2147483647")]
    [InlineData("""{"count": 2.5, "seed": 1}""", HttpStatusCode.BadRequest, "whole numbers")]
    [InlineData("""{"count": 2, "seed": 1, "size": 64}""", HttpStatusCode.BadRequest, "whole numbers")]
    [InlineData("""{"count": 33, "seed": 1}""", HttpStatusCode.RequestEntityTooLarge, "at most 32")]
    public async Task BadRequestsGetAProblemThatSaysWhatToFixAndAreNotBilled(string json, HttpStatusCode status, string phrase)
    {
        using var free = Host.Client(Host.CreateKey(Host.Acme, plan: "free"));
        var before = Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11);

        using var response = await GenerateAsync(free, json);

        Assert.Equal(status, response.StatusCode);
        Assert.Contains(phrase, await Requests.DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, Host.Ledger.BilledPredictions(Host.Acme.Id, 2026, 11));
    }

    [Fact]
    public async Task GeneratorsAndClassifiersEachRefuseTheOthersRoute()
    {
        using var generateOnClassifier = await GenerateAsync(Client, """{"count": 1, "seed": 1}""", model: "fashion");
        using var predictOnGenerator = await Requests.PredictAsync(Client, Requests.RawJson("""{"inputs": [[1]]}"""), model: "dcgan");

        Assert.Equal(HttpStatusCode.BadRequest, generateOnClassifier.StatusCode);
        Assert.Contains("is not a generator", await Requests.DetailAsync(generateOnClassifier), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, predictOnGenerator.StatusCode);
        Assert.Contains("/generate", await Requests.DetailAsync(predictOnGenerator), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratingNeedsADeveloperKeyOfTheModelsOrganization()
    {
        using var anonymous = Host.Client();
        using var viewer = Host.Client(Host.CreateKey(Host.Acme, role: Role.Viewer));
        using var otherTenant = Host.Client(Host.CreateKey(Host.Globex));

        Assert.Equal(HttpStatusCode.Unauthorized, (await GenerateAsync(anonymous, """{"count": 1, "seed": 1}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GenerateAsync(viewer, """{"count": 1, "seed": 1}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await GenerateAsync(otherTenant, """{"count": 1, "seed": 1}""")).StatusCode);
    }
}
