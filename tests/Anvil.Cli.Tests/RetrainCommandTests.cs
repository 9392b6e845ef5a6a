using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Anvil.Cli.Tests.Support;
using Xunit.Abstractions;

namespace Anvil.Cli.Tests;

/// <summary>
/// The drift scenario through the real CLI and server: a Fashion-MNIST model is served, clients send it inverted
/// images (a shifted distribution) with feedback, `retrain --promote` runs while a client keeps predicting.
/// Correct labels: the challenger is significantly better on held-out feedback and promoted with zero failed
/// requests. Random labels: the gate refuses and the champion stays.
/// </summary>
public class RetrainCommandTests(ITestOutputHelper output)
{
    private const int Feedback = 512; // every sample image: 384 trained on, 128 held out

    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    private static async Task SendWithFeedback(HttpClient client, string model, int[][][][] images, int[] labels)
    {
        for (var start = 0; start < images.Length; start += 50)
        {
            var batch = images[start..Math.Min(images.Length, start + 50)];
            using var body = new StringContent(JsonSerializer.Serialize(new { inputs = batch }), Encoding.UTF8, "application/json");
            using var response = await client.PostAsync($"/v1/models/{model}/predict", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var predictions = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions");
            for (var i = 0; i < batch.Length; i++)
            {
                var id = predictions[i].GetProperty("id").GetString();
                using var feedback = new StringContent($"{{\"label\": {labels[start + i]}}}", Encoding.UTF8, "application/json");
                using var stored = await client.PostAsync($"/v1/predictions/{id}/feedback", feedback);
                Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
            }
        }
    }

    [Fact]
    public async Task ShiftedImagesWithCorrectFeedbackArePromotedWithoutAFailedRequestAndRandomLabelsAreRefused()
    {
        using var anvil = new AnvilProcess();
        var runId = ServeCommandTests.TrainAndRegister(anvil, epochs: 2, limit: 512); // "fashion" v1 of acme
        Assert.Equal(0, anvil.Run("register", runId[..10], "--name", "noisy", "--org", "acme").ExitCode);
        var key = ServeCommandTests.CreateKey(anvil);
        var port = ServeCommandTests.FreePort();
        await using var server = await RunningServer.StartAsync(anvil, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var inverted = FashionSample.Images(Feedback, inverted: true);
        var random = new Random(3);
        await SendWithFeedback(client, "fashion", inverted, FashionSample.Labels(Feedback));
        await SendWithFeedback(client, "noisy", inverted, [.. Enumerable.Range(0, Feedback).Select(_ => random.Next(10))]);
        var listed = anvil.Run("feedback", "list", "--org", "acme", "--model", "fashion", "--label", "Sneaker", "--limit", "500", "--json");
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        var sneakers = LastJsonLine(listed.Stdout).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(FashionSample.Labels(Feedback).Count(l => l == 7), sneakers.Count);
        Assert.All(sneakers, s => Assert.Equal(("fashion", "Sneaker"), (s.GetProperty("model").GetString(), s.GetProperty("label").GetString())));

        // Random labels: nothing to learn, so nothing significant to show; the champion stays. Both models' held-out
        // accuracies are then chance draws, so at the default level 0.05 one run in about 40 promotes by luck (seen once
        // in CI: 4.92% → 14.75%, p = 0.023); at 0.001 one in 2,000 does.
        var refused = anvil.Run("retrain", "--model", "noisy", "--org", "acme", "--promote", "--tolerance", "5", "--significance", "0.001", "--json");
        output.WriteLine(refused.Stdout);
        Assert.True(refused.ExitCode == 4, refused.Stderr + refused.Stdout);
        Assert.Contains("Gate refused promotion: ", refused.Stdout, StringComparison.Ordinal);
        Assert.Contains("on held-out feedback the challenger", refused.Stdout, StringComparison.Ordinal); // the reason that matters; a test-set drop may be named too
        var noisy = anvil.Run("models", "show", "noisy", "--org", "acme").Stdout;
        Assert.Contains("aliases challenger → v2, champion → v1", noisy, StringComparison.Ordinal);
        Assert.EndsWith("(< 0.001 required), refused", noisy.TrimEnd(), StringComparison.Ordinal); // v2's gate line

        // Correct labels, promoted while a client keeps predicting.
        var failed = 0;
        var answeredBy = new HashSet<int>();
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            var image = JsonSerializer.Serialize(new { inputs = FashionSample.Images(1, inverted: true) });
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.PostAsync("/v1/models/fashion/predict", new StringContent(image, Encoding.UTF8, "application/json"));
                    if (response.StatusCode != HttpStatusCode.OK)
                        failed++;
                    else
                        answeredBy.Add(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("predictions")[0].GetProperty("version").GetInt32());
                }
                catch (HttpRequestException)
                {
                    failed++;
                }
            }
        });
        // A champion of 806 images and 2 epochs moves several points on a 512-image test set from one retrain to the
        // next; this test is about the feedback gain and a promotion without failed requests, so the tolerance is wide.
        // One client sends all 512 feedback items, more than the champion's 472 training images: uncapped (--max-key-share 1).
        var retrained = anvil.Run("retrain", "--model", "fashion", "--org", "acme", "--promote", "--tolerance", "20", "--shadow", "100", "--max-key-share", "1",
            "--require", "test_macro_auc>=0.5", "--require", "test_accuracy>=0.05", "--json");
        for (var i = 0; i < 100 && !answeredBy.Contains(2); i++) // bounded: the server polls aliases every second
            await Task.Delay(100);
        await stop.CancelAsync();
        await load;
        output.WriteLine(retrained.Stdout);
        Assert.True(retrained.ExitCode == 0, retrained.Stderr + retrained.Stdout);
        var figures = LastJsonLine(retrained.Stdout);
        Assert.True(figures.GetProperty("promoted").GetBoolean());
        Assert.Equal(384, figures.GetProperty("feedback_trained").GetInt32());
        Assert.Equal(128, figures.GetProperty("feedback_held_out").GetInt32());
        Assert.True(figures.GetProperty("challenger_feedback_accuracy").GetDouble() >= figures.GetProperty("champion_feedback_accuracy").GetDouble() + 0.10, retrained.Stdout);
        Assert.InRange(figures.GetProperty("p_value").GetDouble(), 0, 0.05);
        Assert.Equal(100, figures.GetProperty("shadow").GetProperty("replayed").GetInt32());
        Assert.All(figures.GetProperty("requirements").EnumerateArray(), r => Assert.True(r.GetProperty("met").GetBoolean(), r.ToString())); // read from the challenger's signed trust report
        Assert.Contains("Requirement test_macro_auc>=0.5: met.", retrained.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, failed);
        Assert.Contains(1, answeredBy);
        Assert.Contains(2, answeredBy);

        var show = anvil.Run("models", "show", "fashion", "--org", "acme");
        Assert.Contains("challenger → v2, champion → v2, previous → v1", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("← retrained from v1 on 384 feedback samples (128 held out, seed 42", show.Stdout, StringComparison.Ordinal);
        Assert.Contains(FormattableString.Invariant($"held-out feedback {figures.GetProperty("champion_feedback_accuracy").GetDouble() * 100:0.00}% → {figures.GetProperty("challenger_feedback_accuracy").GetDouble() * 100:0.00}%"), show.Stdout, StringComparison.Ordinal);
        Assert.Contains("gate: test", show.Stdout, StringComparison.Ordinal);
        var rolledBack = anvil.Run("models", "rollback", "fashion", "--org", "acme");
        Assert.True(rolledBack.ExitCode == 0, rolledBack.Stderr);
        Assert.Contains("champion → v1, previous → v2", anvil.Run("models", "show", "fashion", "--org", "acme").Stdout, StringComparison.Ordinal);

        var shadow = anvil.Run("models", "shadow", "fashion", "--org", "acme", "--last", "50", "--json");
        Assert.True(shadow.ExitCode == 0, shadow.Stderr);
        Assert.Equal(50, LastJsonLine(shadow.Stdout).GetProperty("replayed").GetInt32());
    }
}
