namespace Anvil.Training.Models;

/// <summary>
/// Counts the floating-point operations of one forward pass of a spec (2 per multiply-add of
/// convolutions and dense layers; element-wise layers are ignored, as is usual). A training step
/// costs about 3× the forward pass: the backward pass computes gradients for both inputs and weights.
/// </summary>
/// <example>
/// <code>double gflops = FlopCounter.ForwardFlops(spec) * 3 * imagesPerSecond / 1e9;</code>
/// </example>
public static class FlopCounter
{
    /// <summary>FLOPs of one sample's forward pass.</summary>
    public static double ForwardFlops(ModelSpec spec)
    {
        double macs = 0;
        foreach (var (layer, input, output) in ModelBuilder.LayerShapes(spec))
        {
            macs += layer.Type switch
            {
                LayerTypes.Conv2d => (double)output[0] * output[1] * output[2] * input[0] * (layer.Kernel ?? 3) * (layer.Kernel ?? 3),
                LayerTypes.Dense => (double)input[0] * output[0],
                LayerTypes.Residual => ResidualMacs(input, output),
                _ => 0,
            };
        }
        return 2 * macs;
    }

    private static double ResidualMacs(long[] input, long[] output)
    {
        double pixels = output[1] * output[2];
        var body = pixels * output[0] * input[0] * 9 + pixels * output[0] * output[0] * 9;
        var shortcut = input[0] == output[0] && input[1] == output[1] ? 0 : pixels * output[0] * input[0];
        return body + shortcut;
    }
}
