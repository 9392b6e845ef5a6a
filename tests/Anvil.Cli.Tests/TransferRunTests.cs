using System.Net.Http.Headers;
using System.Text.Json;
using Anvil.Cli.Tests.Support;
using SkiaSharp;

namespace Anvil.Cli.Tests;

/// <summary>A recipe's "transfer" section end to end: the packaged ImageNet ResNet-18 fine-tuned on an image folder, compared with scratch, registered and served.</summary>
public class TransferRunTests
{
    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    // Images of 32x32 keep the test to seconds (ResNet-18 halves them five times, to 1x1).
    private static string WriteRecipe(AnvilProcess anvil, string pretrained = "imagenet-resnet18", int epochs = 2)
    {
        var path = Path.Combine(anvil.Home, "transfer.json");
        File.WriteAllText(path, $$$"""
            {"epochs": {{{epochs}}}, "batch_size": 4, "optimizer": "adam", "learning_rate": 0.001, "validation_fraction": 0, "seed": 1,
             "transfer": {"pretrained": "{{{pretrained}}}", "image_size": 32, "scratch": true,
                          "groups": [{"name": "backbone", "layers": [0, 11], "learning_rate_factor": 0.1, "unfreeze_epoch": 2}]}}
            """);
        return path;
    }

    // Reds and blues of varied shades, 40x24 pixels: the reader resizes them to 32x32 as serving does.
    private static string WriteFolder(AnvilProcess anvil, params string[] classes)
    {
        var root = Path.Combine(anvil.Home, "photos-" + string.Join("-", classes));
        foreach (var name in classes)
        {
            Directory.CreateDirectory(Path.Combine(root, name));
            for (var i = 0; i < 5; i++)
                File.WriteAllBytes(Path.Combine(root, name, $"{i}.png"), Png(name == "red" ? new SKColor((byte)(150 + 20 * i), 20, 30) : new SKColor(20, 40, (byte)(150 + 20 * i))));
        }
        return root;
    }

    private static byte[] Png(SKColor color)
    {
        using var bitmap = new SKBitmap(40, 24, SKColorType.Rgba8888, SKAlphaType.Opaque);
        bitmap.Erase(color);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    [Fact]
    public async Task AFineTunedResNet18IsComparedWithScratchRegisteredAndAnswersAnRgbPngThroughTheServer()
    {
        using var anvil = new AnvilProcess();
        var folder = WriteFolder(anvil, "blue", "red");

        var train = anvil.Run("train", "--data", folder, "--recipe", WriteRecipe(anvil), "--json");

        Assert.True(train.ExitCode == 0, train.Stderr);
        var result = LastJsonLine(train.Stdout);
        Assert.InRange(result.GetProperty("test_accuracy").GetDouble(), 0.0, 1.0);
        Assert.InRange(result.GetProperty("scratch_test_accuracy").GetDouble(), 0.0, 1.0);
        Assert.True(result.GetProperty("scratch_train_seconds").GetDouble() > 0);
        Assert.Contains("fine-tuned from imagenet-resnet18", train.Stderr);
        Assert.Contains("Epoch 2: unfreezing backbone", train.Stderr);
        var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.GetProperty("artifacts_dir").GetString()!, "spec.json"))).RootElement;
        Assert.Equal([3, 32, 32], spec.GetProperty("input_shape").EnumerateArray().Select(d => d.GetInt32()));
        var mean = spec.GetProperty("preprocessing").GetProperty("mean").EnumerateArray().Select(m => m.GetDouble() * 255).ToArray();
        Assert.Equal(123.15, mean[0], 1); // ImageNet's red mean from the package, not fitted on the ten images
        Assert.Equal(103.06, mean[2], 1);

        var runId = result.GetProperty("run_id").GetString()!;
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        var register = anvil.Run("register", runId[..10], "--name", "colours", "--org", "acme");
        Assert.True(register.ExitCode == 0, register.Stderr);
        var key = ServeCommandTests.CreateKey(anvil);
        var port = ServeCommandTests.FreePort();
        await using var server = await RunningServer.StartAsync(anvil, port);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var body = new ByteArrayContent(Png(new SKColor(200, 30, 30)));
        body.Headers.ContentType = new MediaTypeHeaderValue("image/png");

        using var response = await client.PostAsync("/v1/models/colours/predict", body);

        var answer = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, answer);
        var prediction = JsonDocument.Parse(answer).RootElement.GetProperty("predictions")[0];
        Assert.Contains(prediction.GetProperty("label").GetString(), new[] { "blue", "red" });
        Assert.Equal(1.0, prediction.GetProperty("probabilities").EnumerateObject().Sum(p => p.Value.GetDouble()), 4);
    }

    [Fact]
    public void AFineTuningKilledAfterItsFirstEpochResumesAndStillUnfreezesOnSchedule()
    {
        using var anvil = new AnvilProcess();
        var folder = WriteFolder(anvil, "blue", "red");
        var runId = anvil.KillAfter("Epoch 1/3", "train", "--data", folder, "--recipe", WriteRecipe(anvil, epochs: 3)); // kill -9 once the first epoch (and its checkpoint) is done

        Assert.NotNull(runId);
        var resumed = anvil.Run("train", "--resume", runId!, "--json");

        Assert.True(resumed.ExitCode == 0, resumed.Stderr);
        Assert.Contains("resuming from its last checkpoint", resumed.Stderr);
        Assert.Contains("Epoch 2: unfreezing backbone", resumed.Stderr); // the schedule holds across the restart
        Assert.Contains("Epoch 3/3", resumed.Stderr);
        var result = LastJsonLine(resumed.Stdout);
        Assert.Equal(3, result.GetProperty("epochs").GetInt32());
        Assert.InRange(result.GetProperty("test_accuracy").GetDouble(), 0.0, 1.0);
        var show = JsonDocument.Parse(anvil.Run("runs", "show", runId!, "--json").Stdout).RootElement;
        Assert.Equal("finished", show.GetProperty("status").GetString());
    }

    [Fact]
    public void AnImageFolderWithOneClassOrAnEmptyClassGivesOneClearError()
    {
        using var anvil = new AnvilProcess();
        var recipe = WriteRecipe(anvil);
        var oneClass = WriteFolder(anvil, "red");
        var withEmpty = WriteFolder(anvil, "blue", "red");
        Directory.CreateDirectory(Path.Combine(withEmpty, "green"));

        BadInputTests.AssertOneClearError(anvil.Run("train", "--data", oneClass, "--recipe", recipe), "expected one sub-folder per class and at least 2 classes");
        BadInputTests.AssertOneClearError(anvil.Run("train", "--data", withEmpty, "--recipe", recipe), "green", "holds no images");
    }

    [Fact]
    public void CrossValidationOfATransferRecipeGivesOneClearError()
    {
        using var anvil = new AnvilProcess();

        var cv = anvil.Run("cv", "--data", WriteFolder(anvil, "blue", "red"), "--recipe", WriteRecipe(anvil), "--folds", "2");

        BadInputTests.AssertOneClearError(cv, "does not fine-tune pretrained weights", "./anvil train");
    }

    [Fact]
    public void MissingOrDamagedPretrainedWeightsGiveOneClearError()
    {
        using var anvil = new AnvilProcess();
        var folder = WriteFolder(anvil, "blue", "red");
        var damaged = Path.Combine(anvil.Home, "damaged.onnx");
        File.WriteAllBytes(damaged, [.. File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(AnvilProcess.CliDll)!, "pretrained", "ResNet18.onnx")).Take(100_000)]);

        BadInputTests.AssertOneClearError(anvil.Run("train", "--data", folder, "--recipe", WriteRecipe(anvil, Path.Combine(anvil.Home, "none.onnx"))), "not found", "imagenet-resnet18");
        BadInputTests.AssertOneClearError(anvil.Run("train", "--data", folder, "--recipe", WriteRecipe(anvil, damaged)), "damaged or truncated");
    }
}
