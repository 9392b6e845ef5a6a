using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>
/// `orgs export` and `orgs erase` through the real CLI and a real server: an export holds the organization's served
/// prediction and feedback and nothing of another's, every file matches export.json; an erase keeps the invoice, leaves
/// the other organization and the version folder it shares untouched, and the erased key no longer authenticates.
/// </summary>
public class OrgDataCommandsTests
{
    [Fact]
    public async Task ExportHoldsOnlyTheOrganizationsDataAndEraseKeepsBillingAndOthers()
    {
        using var anvil = new AnvilProcess();
        var runId = ServeCommandTests.TrainAndRegister(anvil);
        Assert.Equal(0, anvil.Run("orgs", "create", "beta").ExitCode);
        Assert.Equal(0, anvil.Run("register", runId[..10], "--name", "shoes", "--org", "beta").ExitCode); // the same sealed folder as acme's
        var acmeKey = ServeCommandTests.CreateKey(anvil);
        var betaKey = anvil.Run("keys", "create", "--org", "beta", "--plan", "pro").Stdout.Trim();
        string acmePrediction, betaPrediction;
        await using (var server = await RunningServer.StartAsync(anvil, ServeCommandTests.FreePort()))
        {
            acmePrediction = await Predict(server, acmeKey, "fashion", HttpStatusCode.OK);
            betaPrediction = await Predict(server, betaKey, "shoes", HttpStatusCode.OK);
            using var client = Client(server, acmeKey);
            using var feedback = await client.PostAsync($"/v1/predictions/{acmePrediction}/feedback",
                new StringContent("""{"label":"Bag","comment":"a bag, surely"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, feedback.StatusCode);
        }

        var directory = Path.Combine(anvil.Home, "export-acme");
        var exported = anvil.Run("orgs", "export", "acme", "--out", directory, "--json");
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        var summary = JsonDocument.Parse(exported.Stdout.Trim()).RootElement;
        Assert.Equal(directory, summary.GetProperty("directory").GetString());
        var counts = summary.GetProperty("counts");
        Assert.Equal((1, 1, 1, 1), (counts.GetProperty("predictions").GetInt64(), counts.GetProperty("feedback").GetInt64(), counts.GetProperty("versions").GetInt64(), counts.GetProperty("keys").GetInt64()));

        var predictions = File.ReadAllLines(Path.Combine(directory, "predictions.jsonl"));
        var logged = JsonDocument.Parse(Assert.Single(predictions)).RootElement;
        Assert.Equal(acmePrediction, logged.GetProperty("id").GetString());
        Assert.Equal(28 * 28, logged.GetProperty("input").GetArrayLength()); // the input as numbers, as sent
        Assert.Equal(42, logged.GetProperty("input")[0].GetDouble());
        Assert.Contains("\"label_name\":\"Bag\"", Assert.Single(File.ReadAllLines(Path.Combine(directory, "feedback.jsonl"))), StringComparison.Ordinal);
        var everything = string.Concat(Directory.EnumerateFiles(directory, "*.json*").Select(File.ReadAllText));
        Assert.DoesNotContain(betaPrediction, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("shoes", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(acmeKey, everything, StringComparison.Ordinal); // the id and prefix only, never the secret
        Assert.Contains(acmeKey[6..18], File.ReadAllText(Path.Combine(directory, "keys.json")), StringComparison.Ordinal);

        var index = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "export.json"))).RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(
            Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(directory, f)).Where(f => f != "export.json").Order(StringComparer.Ordinal),
            index.Select(f => f.GetProperty("path").GetString()));
        foreach (var file in index)
            Assert.Equal(file.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(directory, file.GetProperty("path").GetString()!)))));
        // Each organization holds its own sealed copy (models/<organization id>/sha256-…); the export holds the plaintext the signed manifest lists.
        var ids = JsonDocument.Parse(anvil.Run("orgs", "list", "--json").Stdout).RootElement.EnumerateArray()
            .ToDictionary(o => o.GetProperty("name").GetString()!, o => o.GetProperty("id").GetString()!);
        var acmeFolder = Directory.GetDirectories(Path.Combine(anvil.Home, "models", ids["acme"])).Single();
        var betaFolder = Directory.GetDirectories(Path.Combine(anvil.Home, "models", ids["beta"])).Single();
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "files", "fashion", "v1", "manifest.json"))).RootElement;
        var exportedOnnx = File.ReadAllBytes(Path.Combine(directory, "files", "fashion", "v1", "model.onnx"));
        Assert.Equal(manifest.GetProperty("files").GetProperty("model.onnx").GetString(), "sha256:" + Convert.ToHexStringLower(SHA256.HashData(exportedOnnx)));
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(acmeFolder, "model.onnx")), exportedOnnx); // sealed at rest, plaintext in the export

        var invoice = Invoice(anvil);
        var refused = anvil.Run("orgs", "erase", "acme");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("would delete 1 aliases, 1 api keys revoked, 1 feedback", refused.Stderr, StringComparison.Ordinal);
        Assert.Single(refused.Stderr.Trim().Split('\n'));
        Assert.Contains("fashion", anvil.Run("models", "list", "--org", "acme").Stdout, StringComparison.Ordinal); // nothing changed

        var erased = anvil.Run("orgs", "erase", "acme", "--yes", "--json");
        Assert.True(erased.ExitCode == 0, erased.Stderr);
        var report = JsonDocument.Parse(erased.Stdout.Trim()).RootElement;
        Assert.Equal((1, 1), (report.GetProperty("deleted").GetProperty("predictions").GetInt64(), report.GetProperty("deleted").GetProperty("feedback").GetInt64()));
        Assert.Equal(invoice, Invoice(anvil));
        Assert.False(Directory.Exists(Path.Combine(anvil.Home, "models", ids["acme"])));
        Assert.True(File.Exists(Path.Combine(betaFolder, "model.onnx")));
        Assert.Contains("was erased", anvil.Run("models", "list", "--org", "acme").Stderr, StringComparison.Ordinal);
        Assert.Contains("was erased", anvil.Run("keys", "create", "--org", "acme").Stderr, StringComparison.Ordinal);
        Assert.Contains("already erased", anvil.Run("orgs", "erase", "acme", "--yes").Stdout, StringComparison.Ordinal);
        await using (var server = await RunningServer.StartAsync(anvil, ServeCommandTests.FreePort()))
        {
            await Predict(server, acmeKey, "fashion", HttpStatusCode.Unauthorized);
            await Predict(server, betaKey, "shoes", HttpStatusCode.OK);
        }
    }

    [Fact]
    public void BadInputGetsOneLine()
    {
        using var anvil = new AnvilProcess();
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        var full = Directory.CreateDirectory(Path.Combine(anvil.Home, "full")).FullName;
        File.WriteAllText(Path.Combine(full, "mine.txt"), "keep");

        foreach (var (args, expected) in new[]
        {
            (new[] { "orgs", "export", "nobody", "--out", Path.Combine(anvil.Home, "new") }, "No organization 'nobody'"),
            (new[] { "orgs", "export", "acme", "--out", full }, "already exists and is not empty"),
            (new[] { "orgs", "erase", "nobody", "--yes" }, "No organization 'nobody'"),
            (new[] { "orgs", "erase", "nobody" }, "No organization 'nobody'"),
        })
        {
            var result = anvil.Run(args);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
            Assert.Single(result.Stderr.Trim().Split('\n'));
        }

        Assert.False(Directory.Exists(Path.Combine(anvil.Home, "new")));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(full, "mine.txt")));
        var empty = anvil.Run("orgs", "export", "acme", "--out", Path.Combine(anvil.Home, "empty-org"));
        Assert.True(empty.ExitCode == 0, empty.Stderr);
        Assert.Contains("0 predictions", empty.Stdout, StringComparison.Ordinal); // no model: no signing key needed either
    }

    private static string Invoice(AnvilProcess anvil)
    {
        var usage = anvil.Run("usage", "--org", "acme", "--json");
        Assert.True(usage.ExitCode == 0, usage.Stderr);
        var root = JsonDocument.Parse(usage.Stdout.Trim()).RootElement;
        Assert.Equal(1, root.GetProperty("billed_predictions").GetInt64());
        return root.GetProperty("invoice").GetRawText();
    }

    private static HttpClient Client(RunningServer server, string key)
    {
        var client = new HttpClient { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>Sends one 28×28 image whose first pixel is 42; returns the prediction id when answered.</summary>
    private static async Task<string> Predict(RunningServer server, string key, string model, HttpStatusCode expected)
    {
        using var client = Client(server, key);
        var image = new[] { Enumerable.Range(0, 28).Select(row => Enumerable.Range(0, 28).Select(column => (row * 28 + column + 42) % 256).ToArray()).ToArray() };
        using var response = await client.PostAsync($"/v1/models/{model}/predict",
            new StringContent(JsonSerializer.Serialize(new { inputs = new[] { image } }), Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, body);
        return expected == HttpStatusCode.OK ? JsonDocument.Parse(body).RootElement.GetProperty("predictions")[0].GetProperty("id").GetString()! : "";
    }
}
