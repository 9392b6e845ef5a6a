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

    [Fact]
    public async Task LocalCsvAndJsonFilesOfAFeatureModelGetTheServersAnswer()
    {
        using var anvil = new AnvilProcess();
        var trained = anvil.Run("train", "--data", RunPipelineTests.WriteCsv(anvil, withMissingCell: false), "--label-column", "y", "--epochs", "2", "--json");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runId = JsonDocument.Parse(trained.Stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("run_id").GetString()!;
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        Assert.Equal(0, anvil.Run("register", runId, "--name", "tiny", "--org", "acme").ExitCode);
        var key = ServeCommandTests.CreateKey(anvil);
        // the same three rows as named features (columns in another order) and as a CSV file with a header
        const string Body = """{"inputs": [{"f3": 1, "f1": 2, "f2": -2}, {"f1": 0.4, "f2": -0.4, "f3": 0.2}, {"f2": -4.3, "f3": 2.15, "f1": 4.3}]}""";
        var json = Path.Combine(anvil.Home, "rows.json");
        var csv = Path.Combine(anvil.Home, "rows.csv");
        File.WriteAllText(json, Body);
        File.WriteAllText(csv, "f2,f1,f3\n-2,2,1\n-0.4,0.4,0.2\n-4.3,4.3,2.15\n");

        var port = ServeCommandTests.FreePort();
        string served;
        await using (var server = await RunningServer.StartAsync(anvil, port))
        {
            using var client = new HttpClient { BaseAddress = server.Address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await client.PostAsync("/v1/models/tiny/predict", new StringContent(Body, System.Text.Encoding.UTF8, "application/json"));
            served = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, served);
        }

        var expected = Probabilities(served);
        foreach (var input in new[] { json, csv })
        {
            var local = anvil.Run("predict", "tiny", "--input", input);
            Assert.True(local.ExitCode == 0, local.Stderr);
            var answer = Probabilities(local.Stdout);
            Assert.Equal(3, answer.Length);
            for (var i = 0; i < 3; i++)
                for (var c = 0; c < 3; c++)
                    Assert.True(Math.Abs(expected[i][c] - answer[i][c]) <= 1e-6, $"{Path.GetFileName(input)} row {i} class {c}: server {expected[i][c]}, local {answer[i][c]}");
        }

        File.WriteAllText(csv, "f1,f2,f3\n1,abc,2\n");
        BadInputTests.AssertOneClearError(anvil.Run("predict", "tiny", "--input", csv), "CSV row 2, column 'f2': 'abc' is not a number");
    }
}
