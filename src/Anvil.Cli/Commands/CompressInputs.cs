using Anvil.Training.Data;
using Anvil.Training.Models;
using static TorchSharp.torch;

namespace Anvil.Cli.Commands;

/// <summary>
/// A prepared split back in the raw form the ONNX graph takes (it does its preprocessing itself):
/// raw = (x·std + mean) / scale per channel or feature; pixels are rounded back to whole 0..255 values.
/// </summary>
internal static class CompressInputs
{
    /// <summary>The first <paramref name="count"/> samples as raw values, row-major (N, ...sample shape).</summary>
    public static float[] Raw(TensorDataset data, PreprocessingSpec? preprocessing, int count)
    {
        using var scope = NewDisposeScope();
        var x = data.Features[..Math.Min(count, data.Count)]; // (N, C, H, W) or (N, F), normalised
        if (preprocessing is { } p)
        {
            long[] dims = x.dim() == 4 ? [1, p.Mean.Length, 1, 1] : [1, p.Mean.Length];
            x = x.mul(tensor(p.Std).reshape(dims)).add(tensor(p.Mean).reshape(dims)).div(p.Scale);
            if (p.Scale != 1)
                x = x.round(); // 8-bit sources: whole pixel values, as a client sends them
        }
        return x.contiguous().data<float>().ToArray();
    }
}
