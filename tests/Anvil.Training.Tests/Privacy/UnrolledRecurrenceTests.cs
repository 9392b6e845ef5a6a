using Anvil.Training.Models;
using Anvil.Training.Privacy;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Privacy;

public sealed class UnrolledRecurrenceTests
{
    // Against libtorch's fused, packed layer with the same weights: uneven lengths (one of a single step), stacked and
    // bidirectional. 1e-5: both are float32 sums of the same products in different orders over at most 9 steps.
    [Theory]
    [InlineData(LayerTypes.Gru, 1, false, true)]
    [InlineData(LayerTypes.Gru, 2, true, true)]
    [InlineData(LayerTypes.Gru, 2, true, false)]
    [InlineData(LayerTypes.Lstm, 1, false, false)]
    [InlineData(LayerTypes.Lstm, 2, true, true)]
    [InlineData(LayerTypes.Lstm, 3, true, false)]
    public void TheUnrolledLayerComputesWhatTheFusedLayerDoes(string type, int layers, bool bidirectional, bool returnSequences)
    {
        manual_seed(3);
        using var layer = new RecurrentLayer(type, inputSize: 4, units: 5, numLayers: layers, bidirectional, returnSequences);
        using var input = randn(4, 9, 4);
        using var lengths = tensor(new long[] { 9, 4, 1, 7 });
        var products = new List<UnrolledRecurrence.Product>();

        using var fused = layer.forward(input, lengths);
        using var unrolled = UnrolledRecurrence.Forward(layer, input, lengths, products);

        Assert.Equal(fused.shape, unrolled.shape);
        var difference = (fused - unrolled).abs().max().item<float>();
        Assert.True(difference < 1e-5, $"largest difference {difference}");
        Assert.True(fused.abs().max().item<float>() > 0.05); // a real signal, not two zero tensors
        Assert.Equal(layers * (bidirectional ? 2 : 1) * 2, products.Count); // an input and a recurrent product per layer and direction
    }

    [Fact]
    public void PaddedStepsChangeNeitherTheOutputsNorTheGradients()
    {
        manual_seed(4);
        using var layer = new RecurrentLayer(LayerTypes.Gru, inputSize: 3, units: 4, numLayers: 2, bidirectional: true, returnSequences: true);
        using var input = randn(2, 6, 3, requires_grad: true);
        using var lengths = tensor(new long[] { 3, 6 });
        using var changed = input.detach().clone();
        changed[0, TensorIndex.Slice(3)].fill_(50f); // the first sequence's padding, made large

        var outputs = UnrolledRecurrence.Forward(layer, input, lengths, []);
        var again = UnrolledRecurrence.Forward(layer, changed, lengths, []);
        var gradient = autograd.grad([outputs.pow(2).sum()], [input])[0];

        Assert.True(outputs.allclose(again, rtol: 0, atol: 0));
        Assert.Equal(0f, outputs[0, TensorIndex.Slice(3)].abs().sum().item<float>());
        Assert.Equal(0f, gradient[0, TensorIndex.Slice(3)].abs().sum().item<float>());
        Assert.True(gradient[0, TensorIndex.Slice(0, 3)].abs().sum().item<float>() > 0);
    }
}
