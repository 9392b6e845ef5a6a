using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Anvil.Serving.Inference;
using Anvil.Serving.Tests.Support;
using SkiaSharp;

namespace Anvil.Serving.Tests;

/// <summary>POST /v1/models/{name}/predict with JSON and image inputs, against in-process ONNX Runtime.</summary>
public sealed class PredictTests : ServedModelTest
{

    [Fact]
    public async Task JsonInputsGiveLabelsProbabilitiesVersionAndIdsMatchingOnnxRuntime()
    {
        float[][][][] inputs = [Requests.Image(1), Requests.Image(2), Requests.Image(3)];
        using var response = await Requests.PredictAsync(Client, Requests.Json(inputs));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Requests.ReadJsonAsync(response);
        Assert.Equal("fashion", body.GetProperty("model").GetString());
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        var predictions = body.GetProperty("predictions");
        Assert.Equal(3, predictions.GetArrayLength());
        Assert.Equal(3, predictions.EnumerateArray().Select(p => p.GetProperty("id").GetString()).Distinct().Count());
        for (var i = 0; i < 3; i++)
        {
            var expected = Host.RunInProcess("fashion", (float[])[.. inputs[i].SelectMany(c => c.SelectMany(r => r))]);
            var prediction = predictions[i];
            var probabilities = prediction.GetProperty("probabilities");
            for (var c = 0; c < ServingHost.Classes.Length; c++)
                Assert.Equal(expected[c], probabilities.GetProperty(ServingHost.Classes[c]).GetSingle(), 6);
            var best = Array.IndexOf(expected, expected.Max());
            Assert.Equal(best, prediction.GetProperty("label_index").GetInt32());
            Assert.Equal(1, prediction.GetProperty("version").GetInt32());
            Assert.Equal(ServingHost.Classes[best], prediction.GetProperty("label").GetString());
            Assert.Equal(1.0, probabilities.EnumerateObject().Sum(p => p.Value.GetDouble()), 4);
        }
    }

    [Fact]
    public async Task FlatSampleEqualsNestedSample()
    {
        var image = Requests.Image(4);
        var flat = JsonSerializer.Serialize(new { inputs = new[] { image.SelectMany(c => c.SelectMany(r => r)).ToArray() } });
        var nested = await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.Json(image)));
        var fromFlat = await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.RawJson(flat)));
        Assert.Equal(nested.GetProperty("predictions")[0].GetProperty("probabilities").GetRawText(),
            fromFlat.GetProperty("predictions")[0].GetProperty("probabilities").GetRawText());
    }

    [Fact]
    public async Task PngUploadRawAndMultipartMatchTheSamePixelsAsJson()
    {
        var png = Png(28, 28, (x, y) => (byte)((x * 9 + y * 5) % 256));
        float[][][] pixels = [Enumerable.Range(0, 28).Select(y => Enumerable.Range(0, 28).Select(x => (float)((x * 9 + y * 5) % 256)).ToArray()).ToArray()];
        var fromJson = await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.Json(pixels)));

        var raw = new ByteArrayContent(png);
        raw.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using var rawResponse = await Requests.PredictAsync(Client, raw);
        Assert.Equal(HttpStatusCode.OK, rawResponse.StatusCode);
        var fromPng = await Requests.ReadJsonAsync(rawResponse);

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "a.png");
        var second = new ByteArrayContent(png);
        second.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(second, "image", "b.png");
        using var multipartResponse = await Requests.PredictAsync(Client, form);
        Assert.Equal(HttpStatusCode.OK, multipartResponse.StatusCode);
        var fromMultipart = await Requests.ReadJsonAsync(multipartResponse);
        Assert.Equal(2, fromMultipart.GetProperty("predictions").GetArrayLength());

        var expected = fromJson.GetProperty("predictions")[0].GetProperty("probabilities");
        foreach (var actual in new[] { fromPng.GetProperty("predictions")[0], fromMultipart.GetProperty("predictions")[1] })
        {
            foreach (var label in ServingHost.Classes)
                Assert.Equal(expected.GetProperty(label).GetSingle(), actual.GetProperty("probabilities").GetProperty(label).GetSingle(), 5);
        }
    }

    [Fact]
    public async Task AVersionOrAnAliasCanBeAskedFor()
    {
        Host.AddVersion(Host.Acme, seed: 2);
        Assert.Equal(2, (await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1))))).GetProperty("version").GetInt32()); // no champion yet: the latest
        Host.Catalog.SetAlias(Host.Acme.Id, "fashion", "champion", 1);
        Host.Catalog.SetAlias(Host.Acme.Id, "fashion", "challenger", 2);
        Assert.Equal(1, (await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1))))).GetProperty("version").GetInt32());
        Assert.Equal(2, (await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), query: "?alias=challenger"))).GetProperty("version").GetInt32());
        Assert.Equal(2, (await Requests.ReadJsonAsync(await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), query: "?version=2"))).GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), query: "?version=9")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Requests.PredictAsync(Client, Requests.Json(Requests.Image(1)), query: "?alias=nobody")).StatusCode);
    }

    [Fact]
    public async Task ModelsListAndDetailCarryTheSignature()
    {
        var models = await Requests.ReadJsonAsync(await Client.GetAsync("/v1/models"));
        var model = Assert.Single(models.EnumerateArray());
        Assert.Equal("fashion", model.GetProperty("name").GetString());
        var input = model.GetProperty("signature").GetProperty("inputs")[0];
        Assert.Equal("[-1,1,28,28]", input.GetProperty("shape").GetRawText());
        Assert.Equal(10, model.GetProperty("signature").GetProperty("class_labels").GetArrayLength());
        var detail = await Requests.ReadJsonAsync(await Client.GetAsync("/v1/models/fashion"));
        Assert.Equal(1, detail.GetProperty("versions").GetArrayLength());
        Assert.Empty(Host.Service<ModelRouter>().LoadedModels); // reading signatures starts no ONNX Runtime session
        Assert.Equal(0.5, detail.GetProperty("versions")[0].GetProperty("metrics").GetProperty("test_accuracy").GetDouble());
    }

    internal static byte[] Png(int width, int height, Func<int, int, byte> gray)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var v = gray(x, y);
                bitmap.SetPixel(x, y, new SKColor(v, v, v));
            }
        }

        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }
}
