using Anvil.Training.Models;

namespace Anvil.Export.Pretrained;

/// <summary>
/// Reads what the ResNet-18 file expects of its input from the package's <c>ResNetPreprocess.onnx</c>: it splits
/// R, G, B, concatenates them as B, G, R and subtracts a 224x224 mean image from 0..255 pixels (no division).
/// The mean image is turned into one mean per channel (R 123.15, G 115.90, B 103.06: the image varies by less than
/// ±11 around them), as <see cref="PreprocessingSpec"/> holds for any image size.
/// </summary>
internal static class ImageNetPreprocess
{
    public static PreprocessingSpec Read(OnnxGraphWalk g)
    {
        var split = g.Next(g.Input(), "Split", "channel split");
        var concat = g.Next(split.Output[0], "Concat", "channel reorder");
        if (split.Output.Count != 3 || !concat.Input.SequenceEqual([split.Output[2], split.Output[1], split.Output[0]]))
            throw g.Mismatch("expected the R, G, B planes reordered as B, G, R");
        var subtract = g.Next(concat.Output[0], "Sub", "mean subtraction");
        var (_, mean) = g.Weight(subtract, 1, [1, 3, 224, 224], "mean image");
        var area = 224 * 224;
        var bgr = Enumerable.Range(0, 3).Select(c => (float)(mean.AsSpan(c * area, area).ToArray().Average(v => (double)v) / 255)).ToArray();
        // Training's pixels are raw / 255, so the model's input raw − mean is (x − mean / 255) / (1 / 255).
        return new PreprocessingSpec { Scale = 1 / 255.0, Mean = [bgr[2], bgr[1], bgr[0]], Std = [1 / 255f, 1 / 255f, 1 / 255f] };
    }
}
