using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Anvil.Cli.Tests.Support;
using SkiaSharp;

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

    /// <summary>The answers of `anvil serve`, started for these requests, to <paramref name="bodies"/> posted to <paramref name="path"/>.</summary>
    private static async Task<string[]> ServedAsync(AnvilProcess anvil, string key, string path, params HttpContent[] bodies)
    {
        var port = ServeCommandTests.FreePort();
        await using var server = await RunningServer.StartAsync(anvil, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var answers = new List<string>();
        foreach (var body in bodies)
        {
            using var response = await client.PostAsync(path, body);
            var served = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, served);
            answers.Add(served);
        }

        return [.. answers];
    }

    private static async Task<string> ServedAsync(AnvilProcess anvil, string key, string path, string inputs) =>
        (await ServedAsync(anvil, key, path, new StringContent(inputs, Encoding.UTF8, "application/json")))[0];

    /// <summary>
    /// A <paramref name="width"/>×<paramref name="height"/> colour image (a gradient with noise, some pixels
    /// translucent in a PNG) as PNG or JPEG bytes: the grey model's files go through the luma conversion.
    /// </summary>
    internal static byte[] ColourImage(int seed, int width, int height, SKEncodedImageFormat format)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * 4];
        for (var i = 0; i < width * height; i++)
        {
            var (x, y) = (i % width, i / width);
            pixels[4 * i] = (byte)Math.Clamp((255 * x / width) + random.Next(-40, 40), 0, 255);
            pixels[(4 * i) + 1] = (byte)Math.Clamp((255 * y / height) + random.Next(-40, 40), 0, 255);
            pixels[(4 * i) + 2] = (byte)random.Next(256);
            pixels[(4 * i) + 3] = format == SKEncodedImageFormat.Png ? (byte)random.Next(64, 256) : (byte)255;
        }

        var alpha = format == SKEncodedImageFormat.Png ? SKAlphaType.Unpremul : SKAlphaType.Opaque;
        using var image = SKImage.FromPixelCopy(new SKImageInfo(width, height, SKColorType.Rgba8888, alpha), pixels);
        using var data = image.Encode(format, 90);
        return data.ToArray();
    }

    private static MultipartFormDataContent Multipart(string folder, params string[] files)
    {
        var body = new MultipartFormDataContent();
        foreach (var file in files)
            body.Add(new ByteArrayContent(File.ReadAllBytes(Path.Combine(folder, file))), "image", file);
        return body;
    }

    private static void AssertClose(double[][] expected, double[][] answer, string what)
    {
        Assert.Equal(expected.Length, answer.Length);
        for (var i = 0; i < expected.Length; i++)
            for (var c = 0; c < expected[i].Length; c++)
                Assert.True(Math.Abs(expected[i][c] - answer[i][c]) <= 1e-5, $"{what}: input {i} class {c}: server {expected[i][c]}, bundle {answer[i][c]}");
    }

    /// <summary>The probabilities the bundle's C# and JavaScript snippets print for <paramref name="inputs"/> (onnxruntime-node installed first).</summary>
    private static async Task<double[][][]> CSharpAndJavaScriptAnswersAsync(string bundle, params string[] inputs) =>
        [.. (await CSharpAndJavaScriptOutputsAsync(bundle, inputs)).Select(Probabilities)];

    /// <summary>What the bundle's C# and JavaScript snippets print for <paramref name="inputs"/> (default inputs.json).</summary>
    private static async Task<string[]> CSharpAndJavaScriptOutputsAsync(string bundle, params string[] inputs)
    {
        if (inputs.Length == 0)
            inputs = ["inputs.json"];
        var csharp = await AnvilProcess.RunProgram(bundle, null, "dotnet", ["run", "--project", "csharp", "--", .. inputs]);
        Assert.True(csharp.ExitCode == 0, csharp.Output);
        if (!Directory.Exists(Path.Combine(bundle, "js", "node_modules")))
        {
            var installed = await AnvilProcess.RunProgram(bundle, null, "npm", "install", "--prefix", "js", "--no-audit", "--no-fund");
            Assert.True(installed.ExitCode == 0, installed.Output);
        }

        var js = await AnvilProcess.RunProgram(bundle, null, "node", ["js/predict.mjs", .. inputs]);
        Assert.True(js.ExitCode == 0, js.Output);
        return [csharp.Output, js.Output];
    }

    [Fact]
    public async Task TheBundlesSnippetsAnswerArraysAndImageFilesAsTheServerDoesAndRefuseAChangedModel()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        var key = ServeCommandTests.CreateKey(anvil);
        var bundle = Path.Combine(anvil.Home, "bundle");
        var exported = anvil.Run("export", "fashion", "--org", "acme", "--out", bundle);
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        Assert.Contains("[1, 28, 28]", File.ReadAllText(Path.Combine(bundle, "README.md")));
        var inputs = Inputs(5);
        File.WriteAllText(Path.Combine(bundle, "inputs.json"), inputs);
        // a grey PNG, a colour PNG with translucent pixels, a colour JPEG (all 28×28), and a 40×32 PNG the server resizes
        File.WriteAllBytes(Path.Combine(bundle, "grey.png"), ClientTests.Png(11));
        File.WriteAllBytes(Path.Combine(bundle, "colour.png"), ColourImage(12, 28, 28, SKEncodedImageFormat.Png));
        File.WriteAllBytes(Path.Combine(bundle, "colour.jpg"), ColourImage(13, 28, 28, SKEncodedImageFormat.Jpeg));
        File.WriteAllBytes(Path.Combine(bundle, "large.png"), ColourImage(14, 40, 32, SKEncodedImageFormat.Png));
        var served = await ServedAsync(anvil, key, "/v1/models/fashion/predict",
            new StringContent(inputs, Encoding.UTF8, "application/json"),
            Multipart(bundle, "grey.png", "colour.png"), Multipart(bundle, "colour.jpg"), Multipart(bundle, "large.png"));
        var (arrays, pngs, jpeg, large) = (Probabilities(served[0]), Probabilities(served[1]), Probabilities(served[2]), Probabilities(served[3]));

        var answers = await CSharpAndJavaScriptAnswersAsync(bundle, "inputs.json", "grey.png", "colour.png", "colour.jpg");
        foreach (var (answer, snippet) in answers.Zip(new[] { "C#", "JavaScript" }))
            AssertClose([.. arrays, .. pngs, .. jpeg], answer, snippet);
        var resized = await AnvilProcess.RunProgram(bundle, null, "dotnet", "run", "--project", "csharp", "--", "large.png");
        Assert.True(resized.ExitCode == 0, resized.Output);
        AssertClose(large, Probabilities(resized.Output), "C# (a PNG resized)");
        var resize = await AnvilProcess.RunProgram(bundle, null, "node", "js/predict.mjs", "large.png");
        Assert.NotEqual(0, resize.ExitCode);
        Assert.Contains("large.png is 40×32; this model takes 28×28 images.", resize.Output, StringComparison.Ordinal);

        var model = Path.Combine(bundle, "model.onnx");
        var bytes = File.ReadAllBytes(model);
        bytes[^10] ^= 0x01;
        File.WriteAllBytes(model, bytes);
        var refused = await AnvilProcess.RunProgram(bundle, null, "dotnet", "run", "--project", "csharp", "--", "inputs.json");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("model.onnx does not match its digest", refused.Output);
        var refusedJs = await AnvilProcess.RunProgram(bundle, null, "node", "js/predict.mjs", "grey.png");
        Assert.NotEqual(0, refusedJs.ExitCode);
        Assert.Contains("model.onnx does not match its digest", refusedJs.Output);
    }

    [Fact]
    public async Task TheInt8BundleHoldsTheCompressedVersionWhichVerifiesAndAnswersAsTheServerDoes()
    {
        using var anvil = new AnvilProcess();
        ServeCommandTests.TrainAndRegister(anvil);
        var compressed = anvil.Run("compress", "--model", "fashion", "--org", "acme", "--method", "int8-static", "--calibration", "32", "--json");
        Assert.True(compressed.ExitCode == 0, compressed.Stderr);
        Assert.Equal(2, JsonDocument.Parse(compressed.Stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("version").GetInt32());
        var key = ServeCommandTests.CreateKey(anvil);
        var inputs = Inputs(7);
        var served = await ServedAsync(anvil, key, "/v1/models/fashion/predict?version=2", inputs);

        var bundle = Path.Combine(anvil.Home, "bundle");
        var exported = anvil.Run("export", "fashion", "--org", "acme", "--int8", "--out", bundle, "--json");
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        Assert.True(JsonDocument.Parse(exported.Stdout.Trim()).RootElement.GetProperty("int8").GetBoolean());
        Assert.Contains("--int8", File.ReadAllText(Path.Combine(bundle, "README.md")), StringComparison.Ordinal);

        // int8/ is version 2 as registered: its manifest is the one the catalog recorded, signed by the bundled key,
        // names version 1 as its source, and holds the digest of the int8 graph, which is about a quarter of the float one.
        var int8 = Path.Combine(bundle, "int8");
        var manifestBytes = File.ReadAllBytes(Path.Combine(int8, "manifest.json"));
        var versions = JsonDocument.Parse(anvil.Run("models", "show", "fashion", "--org", "acme", "--json").Stdout).RootElement.GetProperty("versions");
        Assert.Equal(versions[1].GetProperty("manifest_digest").GetString(), Convert.ToHexStringLower(SHA256.HashData(manifestBytes)));
        using (var publicKey = ECDsa.Create())
        {
            publicKey.ImportFromPem(File.ReadAllText(Path.Combine(bundle, "manifest-signing.pub.pem")));
            Assert.True(publicKey.VerifyData(manifestBytes, File.ReadAllBytes(Path.Combine(int8, "manifest.sig")), HashAlgorithmName.SHA256));
        }

        var manifest = JsonDocument.Parse(manifestBytes).RootElement;
        Assert.Equal(1, manifest.GetProperty("source").GetProperty("version").GetInt32());
        Assert.Equal(versions[0].GetProperty("manifest_digest").GetString(), manifest.GetProperty("source").GetProperty("manifest_digest").GetString());
        var model = Path.Combine(int8, "model.onnx");
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(model))), manifest.GetProperty("files").GetProperty("model.onnx").GetString());
        Assert.True(new FileInfo(model).Length * 3 < new FileInfo(Path.Combine(bundle, "model.onnx")).Length);

        File.WriteAllText(Path.Combine(bundle, "inputs.json"), inputs);
        var csharp = await AnvilProcess.RunProgram(bundle, null, "dotnet", "run", "--project", "csharp", "--", "inputs.json", "--int8");
        Assert.True(csharp.ExitCode == 0, csharp.Output);
        var expected = Probabilities(served);
        AssertClose(expected, Probabilities(csharp.Output), "C# (int8)");

        var bytes = File.ReadAllBytes(model);
        bytes[^10] ^= 0x01;
        File.WriteAllBytes(model, bytes);
        var refused = await AnvilProcess.RunProgram(bundle, null, "dotnet", "run", "--project", "csharp", "--", "inputs.json", "--int8");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("model.onnx does not match its digest", refused.Output);
    }

    [Fact]
    public async Task ACsvModelsBundleFillsNamedFeaturesAsTheServerDoes()
    {
        using var anvil = new AnvilProcess();
        var trained = anvil.Run("train", "--data", RunPipelineTests.WriteCsv(anvil, withMissingCell: true), "--label-column", "y", "--missing-values", "mean", "--epochs", "2", "--json");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runId = JsonDocument.Parse(trained.Stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("run_id").GetString()!;
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        Assert.Equal(0, anvil.Run("register", runId, "--name", "tiny", "--org", "acme").ExitCode);
        // named features in any order, a null and a left-out feature (both take the fitted mean), and a plain array
        const string Inputs = """{"inputs": [{"f3": 1, "f1": 2, "f2": -2}, {"f1": 0.4, "f2": -0.4, "f3": null}, {"f2": -4.3, "f1": 4.3}, [1, -1, 0.5]]}""";
        var served = await ServedAsync(anvil, ServeCommandTests.CreateKey(anvil), "/v1/models/tiny/predict", Inputs);

        var bundle = Path.Combine(anvil.Home, "bundle");
        var exported = anvil.Run("export", "tiny", "--org", "acme", "--out", bundle);
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        Assert.Contains("or as named features", File.ReadAllText(Path.Combine(bundle, "README.md")), StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(bundle, "inputs.json"), Inputs);
        var expected = Probabilities(served);
        foreach (var (answer, snippet) in (await CSharpAndJavaScriptAnswersAsync(bundle)).Zip(new[] { "C#", "JavaScript" }))
            AssertClose(expected, answer, snippet);

        File.WriteAllText(Path.Combine(bundle, "inputs.json"), """{"inputs": [{"f1": 1, "f9": 2}]}""");
        var unknown = await AnvilProcess.RunProgram(bundle, null, "dotnet", "run", "--project", "csharp", "--", "inputs.json");
        Assert.NotEqual(0, unknown.ExitCode);
        Assert.Contains("The model has no feature 'f9'; its features are f1, f2, f3.", unknown.Output, StringComparison.Ordinal);
        var unknownJs = await AnvilProcess.RunProgram(bundle, null, "node", "js/predict.mjs", "inputs.json");
        Assert.NotEqual(0, unknownJs.ExitCode);
        Assert.Contains("The model has no feature 'f9'; its features are f1, f2, f3.", unknownJs.Output, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(bundle, "notes.txt"), "f1 is 2, f2 is -2");
        foreach (var (program, args) in new[] { ("dotnet", new[] { "run", "--project", "csharp", "--", "notes.txt" }), ("node", ["js/predict.mjs", "notes.txt"]) })
        {
            var notJson = await AnvilProcess.RunProgram(bundle, null, program, args);
            Assert.NotEqual(0, notJson.ExitCode);
            Assert.StartsWith("notes.txt is neither PNG, JPEG nor valid JSON", notJson.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", notJson.Output, StringComparison.Ordinal); // one line, no stack trace
        }
    }

    [Fact]
    public async Task ATextModelsBundleTokenizesAsTheServerDoes()
    {
        using var anvil = new AnvilProcess();
        var trained = anvil.Run("train", "--recipe", TextRunTests.WriteRecipe(anvil, epochs: 1), "--json");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runId = JsonDocument.Parse(trained.Stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("run_id").GetString()!;
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        Assert.Equal(0, anvil.Run("register", runId, "--name", "spam", "--org", "acme").ExitCode);
        // case, accents, punctuation and symbols, tabs and newlines (dropped: they join words, as on the server),
        // CJK ideographs, the literal special tokens, a Turkish capital I, Greek capitals, and a text past max_length (64)
        string[] texts =
        [
            "Meeting moved to noon, see you there",
            "WIN a FREE cruise!!! Call now: 555-0199 $$$ <click> here",
            "Ünïcödé café naïve résumé — “quotes” and the émojis 🎉 for you",
            "tabs\tand\nnew\r\nlines in the mail, with_underscores too",
            "中文字符 mixed with the english words of the list",
            "[UNK] and [PAD] literally, İstanbul ΣΊΣΥΦΟΣ and the money",
            string.Join(' ', Enumerable.Repeat("free money now", 40)),
        ];
        var inputs = JsonSerializer.Serialize(new { inputs = texts });
        var served = await ServedAsync(anvil, ServeCommandTests.CreateKey(anvil), "/v1/models/spam/predict", inputs);

        var bundle = Path.Combine(anvil.Home, "bundle");
        var exported = anvil.Run("export", "spam", "--org", "acme", "--out", bundle);
        Assert.True(exported.ExitCode == 0, exported.Stderr);
        Assert.True(File.Exists(Path.Combine(bundle, "vocab.txt")));
        File.WriteAllText(Path.Combine(bundle, "inputs.json"), inputs);
        var truncated = Truncated(served);
        Assert.Equal([false, false, false, false, false, false, true], truncated);
        foreach (var (output, snippet) in (await CSharpAndJavaScriptOutputsAsync(bundle)).Zip(new[] { "C#", "JavaScript" }))
        {
            AssertClose(Probabilities(served), Probabilities(output), snippet);
            Assert.Equal(truncated, Truncated(output));
        }

        File.AppendAllText(Path.Combine(bundle, "vocab.txt"), "extra\n");
        var refused = await AnvilProcess.RunProgram(bundle, null, "node", "js/predict.mjs", "inputs.json");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("vocab.txt does not match its digest", refused.Output, StringComparison.Ordinal);
    }

    private static bool[] Truncated(string json) =>
        [.. JsonDocument.Parse(json.Trim().Split('\n')[^1]).RootElement.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("truncated").GetBoolean())];

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
