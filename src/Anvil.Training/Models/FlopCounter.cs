namespace Anvil.Training.Models;

/// <summary>
/// Counts the floating-point operations of one forward pass of a spec (2 per multiply-add of
/// convolutions, dense and recurrent layers; element-wise layers and embedding look-ups are ignored, as is usual). A training step
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
                LayerTypes.Lstm => RecurrentMacs(layer, input, gates: 4),
                LayerTypes.Gru => RecurrentMacs(layer, input, gates: 3),
                _ => 0,
            };
        }
        return 2 * macs;
    }

    // Per step and direction each layer multiplies its input (F, then D·H) and its state (H) by G·H
    // weights: T · D · G · (I·H + H·H), at the spec's sequence length T.
    private static double RecurrentMacs(LayerSpec layer, long[] input, int gates)
    {
        double steps = input[0], hidden = layer.Units ?? 0, inputSize = input[1];
        var directions = layer.Bidirectional == true ? 2 : 1;
        double macs = 0;
        for (var k = 0; k < (layer.NumLayers ?? 1); k++)
        {
            macs += steps * directions * gates * (inputSize * hidden + hidden * hidden);
            inputSize = directions * hidden;
        }
        return macs;
    }

    private static double ResidualMacs(long[] input, long[] output)
    {
        double pixels = output[1] * output[2];
        var body = pixels * output[0] * input[0] * 9 + pixels * output[0] * output[0] * 9;
        var shortcut = input[0] == output[0] && input[1] == output[1] ? 0 : pixels * output[0] * input[0];
        return body + shortcut;
    }
}
