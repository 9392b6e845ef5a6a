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
}
