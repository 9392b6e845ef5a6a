using System.Text.Json;
using Anvil.Cli.Bundles;
using Anvil.Cli.Tests.Support;
using Anvil.Registry.Versions;
using Anvil.Serving.Inputs;
using SkiaSharp;

namespace Anvil.Cli.Tests;

/// <summary>
/// The JavaScript and Python bundle snippets' image paths (pngjs and sharp; Pillow and numpy from Debian's python3)
/// give the pixels the server's <see cref="ImageInputReader"/> gives for the same PNG and JPEG files, bit for bit,
/// for grey and RGB models, and refuse another size. The rest of the Python snippet needs onnxruntime, which cannot
/// be installed on these machines, so its image function runs here on its own (ExportCommandTests runs the whole
/// JavaScript snippet on a grey model).
/// </summary>
public class BundleImagePortTests
{
    /// <summary>Runs image() of predict.py, cut out of the snippet, on the files: each sample's values, (C, H, W) flattened.</summary>
    private const string Python = """
        import json, sys
        import numpy as np
        from PIL import Image
        source = open("python/predict.py", encoding="utf-8").read()
        body = source[source.index("def image(path):"):source.index('settings = preprocessing.get("tokenizer")')]
        scope = {"preprocessing": json.loads(sys.argv[1]), "np": np, "Image": Image, "sys": sys}
        exec(body, scope)
        print(json.dumps([scope["image"](path).ravel().tolist() for path in sys.argv[2:]]))
        """;

    /// <summary>The same for image() of predict.mjs (its packages installed beside it): values per file.</summary>
    private const string JavaScript = """
        import { readFileSync } from "node:fs";
        import { createRequire } from "node:module";
        const require = createRequire(process.cwd() + "/js/");
        const { PNG } = require("pngjs");
        const sharp = require("sharp");
        const source = readFileSync("js/predict.mjs", "utf8");
        const body = source.slice(source.indexOf("const f = Math.fround;"), source.indexOf("// The server's tokenizer"));
        const fail = (message) => { console.error(message); process.exit(1); };
        const image = new Function("preprocessing", "PNG", "sharp", "fail", body + "\nreturn image;")(JSON.parse(process.argv[1]), PNG, sharp, fail);
        const samples = [];
        for (const file of process.argv.slice(2)) samples.push(Array.from(await image(file, readFileSync(file))));
        console.log(JSON.stringify(samples));
        """;

    /// <summary>Debian's python3, which has python3-pil and python3-numpy (.ci/run installs them).</summary>
    private const string DebianPython = "/usr/bin/python3";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task TheJavaScriptAndPythonSnippetsImagesAreTheServersPixels(int channels)
    {
        using var anvil = new AnvilProcess();
        var folder = Directory.CreateDirectory(Path.Combine(anvil.Home, "bundle")).FullName;
        foreach (var (path, content) in BundleSnippets.Files())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, path))!);
            File.WriteAllText(Path.Combine(folder, path), content);
        }
        var installed = await AnvilProcess.RunProgram(folder, null, "npm", "install", "--prefix", "js", "--no-audit", "--no-fund");
        Assert.True(installed.ExitCode == 0, installed.Output);
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

        var server = ImageInputReader.Read([.. sameSize.Select(name => (ReadOnlyMemory<byte>)files[name])], preprocessing, new ImageLimits(1_000_000, 10_000_000));
        var pixels = (float[])server.Samples;
        var ports = new (string Name, string Program, string[] Args)[]
        {
            ("JavaScript", "node", ["--input-type=module", "-e", JavaScript, settings]),
            ("Python", DebianPython, ["-c", Python, settings]),
        };
        foreach (var (name, program, args) in ports)
        {
            var run = await AnvilProcess.RunProgram(folder, null, program, [.. args, .. sameSize]);
            Assert.True(run.ExitCode == 0, run.Output);
            var port = JsonSerializer.Deserialize<float[][]>(run.Output)!;
            for (var i = 0; i < sameSize.Length; i++)
                Assert.True(pixels.AsSpan(i * server.SampleSize, server.SampleSize).SequenceEqual(port[i]), $"{name}, {sameSize[i]}: the snippet's pixels differ from the server's");

            var refused = await AnvilProcess.RunProgram(folder, null, program, [.. args, "large.png"]);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Equal("large.png is 40×32; this model takes 28×28 images. Resize it first, or use the C# snippet or the server, which resize it.", refused.Output.Trim());
        }
    }
}
