using System.Text.Json;
using Anvil.Cli.Bundles;
using Anvil.Cli.Tests.Support;
using Anvil.Registry.Versions;
using Anvil.Serving.Inputs;
using SkiaSharp;

namespace Anvil.Cli.Tests;

/// <summary>
/// The Python bundle snippet's image path (Pillow and numpy, from Debian's python3) gives the pixels the server's
/// <see cref="ImageInputReader"/> gives for the same PNG and JPEG files, bit for bit, and refuses another size. The
/// rest of that snippet needs onnxruntime, which cannot be installed on these machines, so its image function runs
/// here on its own.
/// </summary>
public class BundlePythonImageTests
{
    /// <summary>Runs image() of predict.py, cut out of the snippet, on the files: each sample's values, (C, H, W) flattened.</summary>
    private const string Python = """
        import json, sys
        import numpy as np
        from PIL import Image
        source = open("predict.py", encoding="utf-8").read()
        body = source[source.index("def image(path):"):source.index('settings = preprocessing.get("tokenizer")')]
        scope = {"preprocessing": json.loads(sys.argv[1]), "np": np, "Image": Image, "sys": sys}
        exec(body, scope)
        print(json.dumps([scope["image"](path).ravel().tolist() for path in sys.argv[2:]]))
        """;

    /// <summary>Debian's python3, which has python3-pil and python3-numpy (.ci/run installs them).</summary>
    private const string DebianPython = "/usr/bin/python3";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task ThePythonSnippetsImagesAreTheServersPixels(int channels)
    {
        using var anvil = new AnvilProcess();
        var folder = Directory.CreateDirectory(Path.Combine(anvil.Home, "python")).FullName;
        File.WriteAllText(Path.Combine(folder, "predict.py"), BundleSnippets.Files().Single(f => f.Path == "python/predict.py").Content);
        var files = new Dictionary<string, byte[]>
        {
            ["grey.png"] = ClientTests.Png(21),
            ["colour.png"] = ExportCommandTests.ColourImage(22, 28, 28, SKEncodedImageFormat.Png), // translucent pixels too
            ["colour.jpg"] = ExportCommandTests.ColourImage(23, 28, 28, SKEncodedImageFormat.Jpeg),
            ["large.png"] = ExportCommandTests.ColourImage(24, 40, 32, SKEncodedImageFormat.Png),
        };
        foreach (var (name, bytes) in files)
            File.WriteAllBytes(Path.Combine(folder, name), bytes);
        var preprocessing = new ModelPreprocessing { Kind = "image", Channels = channels, Height = 28, Width = 28 };
        var settings = JsonSerializer.Serialize(new { kind = "image", channels, height = 28, width = 28 });
        string[] sameSize = ["grey.png", "colour.png", "colour.jpg"];

        var run = await AnvilProcess.RunProgram(folder, null, DebianPython, ["-c", Python, settings, .. sameSize]);

        Assert.True(run.ExitCode == 0, run.Output);
        var python = JsonSerializer.Deserialize<float[][]>(run.Output)!;
        var server = ImageInputReader.Read([.. sameSize.Select(name => (ReadOnlyMemory<byte>)files[name])], preprocessing, new ImageLimits(1_000_000, 10_000_000));
        var pixels = (float[])server.Samples;
        for (var i = 0; i < sameSize.Length; i++)
            Assert.True(pixels.AsSpan(i * server.SampleSize, server.SampleSize).SequenceEqual(python[i]), $"{sameSize[i]}: the Python snippet's pixels differ from the server's");

        var refused = await AnvilProcess.RunProgram(folder, null, DebianPython, "-c", Python, settings, "large.png");
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Equal("large.png is 40×32; this model takes 28×28 images. Resize it first, or use the C# snippet or the server, which resize it.", refused.Output.Trim());
    }
}
