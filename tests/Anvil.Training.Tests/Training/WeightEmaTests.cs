using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Training;

public class WeightEmaTests
{
    [Fact]
    public void AverageMovesTowardsTheLiveWeightsByOneMinusDecay()
    {
        manual_seed(0);
        using var model = ModelBuilder.Build(TinyData.SmallCnn());
        using var ema = new WeightEma(model, decay: 0.5);
        var weight = model.parameters().First();
        var before = weight.detach().clone();
        using (no_grad())
            weight.add_(1.0);

        ema.Update(); // first update: decay ramps as (1+0)/(10+0) = 0.1

        var averaged = ema.Model.parameters().First();
        Assert.True(averaged.allclose(before.mul(0.1).add(weight.mul(0.9)), atol: 1e-6));
    }
}
