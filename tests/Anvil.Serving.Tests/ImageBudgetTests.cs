using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>
/// Image requests do bounded work: a pixel budget per request (not only per image), truncated files refused,
/// decoding on its own bounded threads so /healthz stays quick while large images decode.
/// </summary>
public sealed class ImageBudgetTests : ServedModelTest
{
    private static MultipartFormDataContent Form(params byte[][] images)
    {
        var form = new MultipartFormDataContent();
        for (var i = 0; i < images.Length; i++)
        {
            var file = new ByteArrayContent(images[i]);
            file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(file, "image", $"{i}.png");
        }

        return form;
    }

    [Fact]
    public async Task ImagesThatTogetherPassThePixelBudgetAreRefusedBeforeDecoding()
    {
        var half = PngFiles.Black(4096, 2048); // 8.4 MP each, a few KB on the wire
        using var response = await Requests.PredictAsync(Client, Form(half, half, half));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("16,777,216 pixels", await Requests.DetailAsync(response), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(Client, Form(half, half))).StatusCode);
    }

    [Fact]
    public async Task ATruncatedImageIsRefused()
    {
        var png = PredictTests.Png(28, 28, (x, y) => (byte)(x + y));
        using var response = await Requests.PredictAsync(Client, Form(png[..(png.Length - 30)]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("truncated", await Requests.DetailAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthzStaysQuickWhileLargeImagesDecode()
    {
        var large = PngFiles.Black(4096, 4096);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/healthz")).StatusCode); // warm
        using var stop = new CancellationTokenSource();
        var attack = Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var statuses = new List<HttpStatusCode>();
            while (!stop.IsCancellationRequested)
            {
                using var response = await Requests.PredictAsync(Client, Form(large));
                statuses.Add(response.StatusCode);
            }

            return statuses;
        }));
        var health = new List<TimeSpan>();
        for (var i = 0; i < 30; i++)
        {
            var watch = Stopwatch.StartNew();
            using var healthz = await Client.GetAsync("/healthz");
            health.Add(watch.Elapsed);
            Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
            await Task.Delay(20);
        }

        await stop.CancelAsync();
        var statuses = (await attack).SelectMany(s => s).ToList();
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        Assert.Contains(HttpStatusCode.OK, statuses);
        // the median, not the maximum: client and server share two cores with whatever else the machine runs
        var median = health.Order().ElementAt(health.Count / 2);
        Assert.True(median < TimeSpan.FromMilliseconds(100), $"/healthz took a median {median.TotalMilliseconds:F0} ms (max {health.Max().TotalMilliseconds:F0} ms) while images decoded");
    }
}
