using Anvil.Training.Models;

namespace Anvil.Training.Tests.Models;

public class FlopCounterTests
{
    [Fact]
    public void SeedCnnOnFashionMnistCostsTheHandCountedFlops()
    {
        var spec = BuiltInModels.Create("seed-cnn", [1, 28, 28], Enumerable.Range(0, 10).Select(i => $"{i}").ToArray());
        // Multiply-adds by hand: conv 26·26·32·1·9 + conv 11·11·64·32·9 + conv 3·3·64·64·9 + dense 576·64 + dense 64·10.
        const double macs = 194_688 + 2_230_272 + 331_776 + 36_864 + 640;

        Assert.Equal(2 * macs, FlopCounter.ForwardFlops(spec));
    }

    [Fact]
    public void StackedBidirectionalLstmCostsTheHandCountedFlops()
    {
        var spec = new ModelSpec
        {
            Name = "text", InputShape = [100], InputKind = InputKinds.Tokens, ClassNames = ["ham", "spam"],
            Layers =
            [
                new LayerSpec { Type = LayerTypes.Embedding, VocabularySize = 1000, Units = 32 },
                new LayerSpec { Type = LayerTypes.Lstm, Units = 64, NumLayers = 2, Bidirectional = true },
                new LayerSpec { Type = LayerTypes.Dense },
            ],
        };
        // 100 steps · 2 directions · 4 gates · (input·64 + 64·64): input 32, then 128 (both directions); dense 128·2.
        const double macs = 100 * 2 * 4 * (32 * 64 + 64 * 64) + 100 * 2 * 4 * (128 * 64 + 64 * 64) + 128 * 2;

        Assert.Equal(2 * macs, FlopCounter.ForwardFlops(spec));
    }
}
