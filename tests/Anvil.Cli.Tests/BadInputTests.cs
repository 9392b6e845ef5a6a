using System.IO.Compression;
using Anvil.Cli.Tests.Support;
using SkiaSharp;

namespace Anvil.Cli.Tests;

/// <summary>Each kind of bad input gets exit code 1 and one clear line on stderr, never a stack trace.</summary>
public class BadInputTests
{
    internal static void AssertOneClearError((int ExitCode, string Stdout, string Stderr) result, params string[] expected)
    {
        Assert.Equal(1, result.ExitCode);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToArray();
        Assert.True(lines.Length == 1, $"expected one error line, got: {result.Stderr}");
        foreach (var text in expected)
            Assert.Contains(text, lines[0]);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void MissingDataSetSaysHowToGetIt()
    {
        using var anvil = new AnvilProcess();
        AssertOneClearError(anvil.Run("train", "--data-dir", Path.Combine(anvil.Home, "nowhere")), "Fashion-MNIST was not found", "apt-get install dataset-fashion-mnist");
    }

    [Fact]
    public void TruncatedIdxFileSaysExpectedAndActualBytes()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var images = Path.Combine(data, "train-images-idx3-ubyte.gz");
        var raw = Decompress(images);
        File.Delete(images);
        File.WriteAllBytes(Path.Combine(data, "train-images-idx3-ubyte"), raw[..(raw.Length / 2)]);

        AssertOneClearError(anvil.Run("train", "--data-dir", data), "train-images-idx3-ubyte", "bytes");
    }

    [Fact]
    public void LabelOutOfRangeNamesTheLabelAndTheValidRange()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var labels = Path.Combine(data, "train-labels-idx1-ubyte.gz");
        var raw = Decompress(labels);
        raw[8 + 5] = 12; // sample 5 gets class 12 of 10
        File.Delete(labels);
        File.WriteAllBytes(Path.Combine(data, "train-labels-idx1-ubyte"), raw);

        AssertOneClearError(anvil.Run("train", "--data-dir", data), "12", "[0, 9]");
    }

    [Fact]
    public void CsvWithANonNumericCellNamesLineColumnAndText()
    {
        using var anvil = new AnvilProcess();
        var csv = Path.Combine(anvil.Home, "data.csv");
        File.WriteAllText(csv, "x1,x2,label\n1,2,a\n3,4,b\n5,oops,a\n7,8,b\n");

        AssertOneClearError(anvil.Run("train", "--data", csv, "--label-column", "label", "--model", "mlp"), "line 4", "x2", "oops");
    }

    [Fact]
    public void ImageOfTheWrongSizeNamesTheFileAndBothSizes()
    {
        using var anvil = new AnvilProcess();
        var root = Path.Combine(anvil.Home, "images");
        WritePng(Path.Combine(root, "cat", "1.png"), 8, 8);
        WritePng(Path.Combine(root, "cat", "2.png"), 8, 8);
        WritePng(Path.Combine(root, "dog", "3.png"), 8, 8);
        WritePng(Path.Combine(root, "dog", "odd.png"), 9, 7);

        AssertOneClearError(anvil.Run("train", "--data", root), "odd.png", "9", "8");
    }

    [Fact]
    public void SpecWithAnUnknownLayerListsTheValidLayerTypes()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var spec = Path.Combine(anvil.Home, "spec.json");
        File.WriteAllText(spec, """
            {"name": "mine", "input_shape": [1, 28, 28], "class_names": ["T-shirt/top","Trouser","Pullover","Dress","Coat","Sandal","Shirt","Sneaker","Bag","Ankle boot"],
             "layers": [{"type": "transformer"}, {"type": "flatten"}, {"type": "dense"}]}
            """);

        AssertOneClearError(anvil.Run("train", "--data-dir", data, "--model", spec), "unknown layer type 'transformer'", "conv2d");
    }

    [Fact]
    public void UnknownRunIdSaysNoRunMatches()
    {
        using var anvil = new AnvilProcess();
        AssertOneClearError(anvil.Run("runs", "show", "abcdef12"), "abcdef12");
    }

    [Fact]
    public void ServeWithAPerOrganizationCapAboveTheTotalSaysBothValues()
    {
        using var anvil = new AnvilProcess();
        AssertOneClearError(anvil.Run("serve", "--max-loaded-versions", "4", "--max-loaded-versions-per-org", "5"), "--max-loaded-versions-per-org", "got 4 and 5");
    }

    private static byte[] Decompress(string path)
    {
        using var input = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    private static void WritePng(string path, int width, int height)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(new SKColor((byte)(width * 20), 90, 30));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
