using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Anvil.Registry;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>
/// Issue 11 §4's check: what a client sends (a text, an image's float32 pixels, a feedback comment) is read back as
/// sent, and found nowhere in the clear in any file under the Anvil home: the SQLite database, its write-ahead log,
/// the model files and the signing key.
/// </summary>
public sealed class EncryptionAtRestTests : ServedModelTest
{
    private const string Text = "free money zebra-quartz-7741"; // known words, so the model reads it, and a unique token
    private const string Comment = "okapi-comment-5521";

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        SequenceVersions.AddText(Host);
    }

    [Fact]
    public async Task NoLoggedInputOrCommentIsFoundInTheClearUnderTheHome()
    {
        // 784 distinct pixel values, exact in float32: 3.0625, 3.375, ... 247.6875
        float[][][] image = [Enumerable.Range(0, 28).Select(r => Enumerable.Range(0, 28).Select(c => 3.0625f + (r * 28 + c) * 0.3125f).ToArray()).ToArray()];
        var pixels = MemoryMarshal.AsBytes(image[0].SelectMany(row => row).ToArray().AsSpan()).ToArray();
        var textId = await PredictAsync(Requests.RawJson(JsonSerializer.Serialize(new { inputs = new[] { Text } })), "spam");
        var imageId = await PredictAsync(Requests.Json(image), "fashion");
        foreach (var id in new[] { textId, imageId })
        {
            using var feedback = await Client.PostAsync($"/v1/predictions/{id}/feedback", Requests.RawJson($$"""{"label": 1, "comment": "{{Comment}}"}"""));
            Assert.Equal(HttpStatusCode.Created, feedback.StatusCode);
        }

        Assert.Equal(Text, Encoding.UTF8.GetString(Host.Ledger.FindPrediction(Host.Acme.Id, textId)!.Input));
        Assert.Equal(pixels, Host.Ledger.FindPrediction(Host.Acme.Id, imageId)!.Input);
        Assert.All(new FeedbackStore(Host.Database, Host.Time).List(Host.Acme.Id), f => Assert.Equal(Comment, f.Feedback.Comment));
        var files = Directory.GetFiles(Host.Home.Directory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.EndsWith("registry.db-wal", StringComparison.Ordinal)); // the log is searched too
        byte[][] secrets =
        [
            Encoding.UTF8.GetBytes(Text), Encoding.Unicode.GetBytes(Text), "zebra-quartz-7741"u8.ToArray(), Encoding.UTF8.GetBytes(Comment), Encoding.Unicode.GetBytes(Comment),
            .. Enumerable.Range(0, pixels.Length / 16).Select(i => pixels[(i * 16)..((i + 1) * 16)]), // every 4 consecutive pixels
        ];
        foreach (var file in files)
        {
            var bytes = Read(file);
            foreach (var secret in secrets)
                Assert.True(bytes.AsSpan().IndexOf(secret) < 0, $"{Path.GetFileName(file)} holds {Convert.ToHexString(secret)} in the clear");
        }
    }

    private async Task<string> PredictAsync(HttpContent content, string model)
    {
        using var response = await Requests.PredictAsync(Client, content, model, idempotencyKey: Guid.NewGuid().ToString("N")); // its answer is stored for replay
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await Requests.ReadJsonAsync(response)).GetProperty("predictions")[0].GetProperty("id").GetString()!;
    }

    private static byte[] Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
