using System.Net.Http.Headers;
using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>`anvil predict`: a run or a registered model answers local files as the server answers the same bytes.</summary>
public class PredictCommandTests
{
    private static double[][] Probabilities(string json) =>
        JsonDocument.Parse(json.Trim()).RootElement.GetProperty("predictions").EnumerateArray()
            .Select(p => p.GetProperty("probabilities").EnumerateObject().Select(c => c.Value.GetDouble()).ToArray()).ToArray();

    [Fact]
    public async Task LocalImagesGetTheServersAnswerFromTheModelAndFromItsRun()
    {
        using var anvil = new AnvilProcess();
        var runId = ServeCommandTests.TrainAndRegister(anvil);
        var key = ServeCommandTests.CreateKey(anvil);
        var images = Enumerable.Range(1, 3).Select(i => Path.Combine(anvil.Home, $"image-{i}.png")).ToArray();
        for (var i = 0; i < images.Length; i++)
            File.WriteAllBytes(images[i], ClientTests.Png(i + 1));

        var port = ServeCommandTests.FreePort();
        string served;
        await using (var server = await RunningServer.StartAsync(anvil, port))
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var form = new MultipartFormDataContent();
            foreach (var image in images)
            {
                var part = new ByteArrayContent(File.ReadAllBytes(image));
                part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                form.Add(part, "files", Path.GetFileName(image));
            }

            using var response = await client.PostAsync("/v1/models/fashion/predict", form);
            served = await response.Content.ReadAsStringAsync();
        }

        var byName = anvil.Run(["predict", "fashion", "--input", .. images]);
        var byRun = anvil.Run(["predict", runId[..12], "--input", .. images]);
        Assert.True(byName.ExitCode == 0, byName.Stderr);
        Assert.True(byRun.ExitCode == 0, byRun.Stderr);
        var expected = Probabilities(served);
        foreach (var local in new[] { Probabilities(byName.Stdout), Probabilities(byRun.Stdout) })
        {
            Assert.Equal(3, local.Length);
            for (var i = 0; i < 3; i++)
                for (var c = 0; c < 10; c++)
                    Assert.True(Math.Abs(expected[i][c] - local[i][c]) <= 1e-6, $"image {i} class {c}: server {expected[i][c]}, local {local[i][c]}");
        }

        Assert.Equal("fashion", JsonDocument.Parse(byName.Stdout).RootElement.GetProperty("model").GetString());
        BadInputTests.AssertOneClearError(anvil.Run("predict", "fashion", "--input", Path.Combine(anvil.Home, "none.png")), "does not exist");
        File.WriteAllText(Path.Combine(anvil.Home, "texts.txt"), "hello");
        BadInputTests.AssertOneClearError(anvil.Run("predict", "fashion", "--input", Path.Combine(anvil.Home, "texts.txt")), "takes image");
    }
}
