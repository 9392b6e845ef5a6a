using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>`anvil export`: an edge bundle whose snippets answer as the server does and refuse a changed bundle.</summary>
public class ExportCommandTests
{
    private static string Inputs(int seed)
    {
        var random = new Random(seed);
        var images = Enumerable.Range(0, 3).Select(_ => new[] { Enumerable.Range(0, 28).Select(_ => Enumerable.Range(0, 28).Select(_ => random.Next(256)).ToArray()).ToArray() });
        return JsonSerializer.Serialize(new { inputs = images });
    }

    private static double[][] Probabilities(string json) =>
        JsonDocument.Parse(json.Trim().Split('\n')[^1]).RootElement.GetProperty("predictions").EnumerateArray()
            .Select(p => p.GetProperty("probabilities").EnumerateObject().Select(c => c.Value.GetDouble()).ToArray()).ToArray();

    [Fact]
    public async Task TheBundlesSnippetsAnswerAsTheServerDoesAndRefuseAChangedModel()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        var key = ServeCommandTests.CreateKey(anvil);
        var inputs = Inputs(5);
        var port = ServeCommandTests.FreePort();
        string served;
        using (var server = await ServeCommandTests.StartServer(anvil, port))
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            using var response = await client.PostAsync("/v1/models/fashion/predict", new StringContent(inputs, Encoding.UTF8, "application/json"));
            served = await response.Content.ReadAsStringAsync();
            server.Kill(entireProcessTree: true);
        }

        var bundle = Path.Combine(anvil.Home, "bundle");
        var exported = anvil.Run("export", "fashion", "--org", "acme", "--out", bundle);
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        File.WriteAllText(Path.Combine(bundle, "inputs.json"), inputs);
        Assert.Contains("[1, 28, 28]", File.ReadAllText(Path.Combine(bundle, "README.md")));
        var expected = Probabilities(served);

        var csharp = await AnvilProcess.RunProgram(bundle, null, "dotnet", "run", "--project", "csharp", "--", "inputs.json");
        Assert.True(csharp.ExitCode == 0, csharp.Output);
        var js = await AnvilProcess.RunProgram(bundle, null, "npm", "install", "--prefix", "js", "--no-audit", "--no-fund");
        Assert.True(js.ExitCode == 0, js.Output);
        js = await AnvilProcess.RunProgram(bundle, null, "node", "js/predict.mjs", "inputs.json");
        Assert.True(js.ExitCode == 0, js.Output);
        foreach (var answer in new[] { Probabilities(csharp.Output), Probabilities(js.Output) })
        {
            Assert.Equal(expected.Length, answer.Length);
            for (var i = 0; i < expected.Length; i++)
                for (var c = 0; c < 10; c++)
                    Assert.True(Math.Abs(expected[i][c] - answer[i][c]) <= 1e-5, $"sample {i} class {c}: server {expected[i][c]}, bundle {answer[i][c]}");
        }

        var model = Path.Combine(bundle, "model.onnx");
        var bytes = File.ReadAllBytes(model);
        bytes[^10] ^= 0x01;
        File.WriteAllBytes(model, bytes);
        var refused = await AnvilProcess.RunProgram(bundle, null, "dotnet", "run", "--project", "csharp", "--", "inputs.json");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("model.onnx does not match its digest", refused.Output);
        var refusedJs = await AnvilProcess.RunProgram(bundle, null, "node", "js/predict.mjs", "inputs.json");
        Assert.NotEqual(0, refusedJs.ExitCode);
        Assert.Contains("model.onnx does not match its digest", refusedJs.Output);
    }

    [Fact]
    public void AFolderInUseAnUnknownModelAndAMissingInt8VersionAreOneClearError()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        var used = Directory.CreateDirectory(Path.Combine(anvil.Home, "used")).FullName;
        File.WriteAllText(Path.Combine(used, "notes.txt"), "mine");

        BadInputTests.AssertOneClearError(anvil.Run("export", "fashion", "--org", "acme", "--out", used), "is not empty", "--force");
        Assert.Equal(["notes.txt"], Directory.GetFiles(used).Select(Path.GetFileName));
        BadInputTests.AssertOneClearError(anvil.Run("export", "shoes", "--org", "acme", "--out", Path.Combine(anvil.Home, "b1")), "has no model 'shoes'");
        BadInputTests.AssertOneClearError(anvil.Run("export", "fashion", "--org", "acme", "--int8", "--out", Path.Combine(anvil.Home, "b2")), "no int8 version", "./anvil compress --model fashion");
        var forced = anvil.Run("export", "fashion", "--org", "acme", "--out", used, "--force");
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.True(File.Exists(Path.Combine(used, "model.onnx")));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(used, "notes.txt")));
    }
}
