using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Robustness;
using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Robustness;

public class RobustnessEvaluationTests
{
    // Pixels are 0.3 (class "dark") or 0.7 (class "light") plus noise of at most 0.02, on 4×4 grey images. The model
    // reads the mean brightness: correct on every clean image, and every pixel must move by 0.2 to fool it.
    internal static readonly PreprocessingSpec Pixels01 = new() { Scale = 1 / 255.0, Mean = [0.5f], Std = [0.25f] };

    private static TensorDataset Images(int count, int seed)
    {
        var random = new Random(seed);
        var labels = Enumerable.Range(0, count).Select(i => (long)(i % 2)).ToArray();
        var values = labels.SelectMany(l => Enumerable.Range(0, 16).Select(_ => (float)((l == 1 ? 0.7 : 0.3) + (random.NextDouble() - 0.5) * 0.04))).ToArray();
        var normalised = (tensor(values).reshape(count, 1, 4, 4) - 0.5f) / 0.25f;
        return new TensorDataset(normalised, tensor(labels), ["dark", "light"]);
    }

    private static nn.Module<Tensor, Tensor> Brightness()
    {
        var linear = nn.Linear(16, 2);
        using (no_grad())
        {
            linear.weight!.copy_(cat([full(1, 16, -1f), full(1, 16, 1f)]));
            linear.bias!.zero_();
        }

        return nn.Sequential(nn.Flatten(), linear);
    }

    [Fact]
    public void AWeakModelIsBrokenByPgdBeyondItsMarginAndKeptWithinIt()
    {
        using var test = Images(200, seed: 3);
        var report = RobustnessEvaluation.Run(Brightness(), Pixels01, test, AttackNorm.Linf, [0.1, 0.3], steps: 10, limit: 200, seed: 1);

        Assert.Equal(1.0, report.CleanAccuracy);
        Assert.Equal(1.0, report.Points[0].PgdAccuracy); // 0.1 < the 0.2 margin: nothing can fool it
        Assert.Equal(0.0, report.Points[1].PgdAccuracy); // 0.3 > the margin: PGD fools every image
        Assert.Equal(0.0, report.Points[1].FgsmAccuracy);
        Assert.Equal(0.0, report.UnboundedAccuracy);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void L2BallsScaleWithTheImage()
    {
        using var test = Images(100, seed: 4);
        // Moving all 16 pixels by 0.2 is an L2 step of 0.8: ε 0.5 cannot fool the model; at ε 2 PGD does, even though
        // its random start spends part of the budget in directions the gradient never takes back.
        var report = RobustnessEvaluation.Run(Brightness(), Pixels01, test, AttackNorm.L2, [0.5, 2.0], steps: 20, limit: 100, seed: 2);

        Assert.Equal(1.0, report.Points[0].PgdAccuracy);
        Assert.Equal(0.0, report.Points[1].PgdAccuracy);
    }

    [Fact]
    public void SignsOfGradientMaskingAreFlagged()
    {
        var honest = RobustnessEvaluation.Warnings([new RobustPoint(0.1, 0.40, 0.30, 0.30)], unboundedAccuracy: 0.0, classes: 10);
        var moreStepsHelp = RobustnessEvaluation.Warnings([new RobustPoint(0.1, 0.60, 0.50, 0.58)], 0.0, 10);
        var fgsmStronger = RobustnessEvaluation.Warnings([new RobustPoint(0.1, 0.20, 0.50, 0.50)], 0.0, 10);
        var unbounded = RobustnessEvaluation.Warnings([new RobustPoint(0.1, 0.60, 0.50, 0.50)], 0.70, 10);

        Assert.Empty(honest);
        Assert.Contains("rose with 4× the PGD steps", Assert.Single(moreStepsHelp));
        Assert.Contains("one FGSM step beat PGD", Assert.Single(fgsmStronger));
        Assert.Contains("far above chance", Assert.Single(unbounded));
    }

    [Fact]
    public void AMaskedModelIsNotReportedRobustWithoutAWarning()
    {
        // Binarising the input is a classic masked defence: zero gradients everywhere, so PGD learns nothing,
        // yet an unbounded attack should still fool it; on 10 classes random pixels fall near chance.
        using var test = Images(100, seed: 5);
        var inner = Brightness();
        var masked = new Masked(inner);
        var report = RobustnessEvaluation.Run(masked, Pixels01, test, AttackNorm.Linf, [0.15], steps: 5, limit: 100, seed: 3);

        Assert.Equal(1.0, report.Points[0].PgdAccuracy); // looks perfectly robust...
        Assert.NotEmpty(report.Warnings);                // ...but is flagged
    }

    /// <summary>x → inner(x) on a straight-through-free copy: the same answers, no gradient to follow.</summary>
    private sealed class Masked(nn.Module<Tensor, Tensor> inner) : nn.Module<Tensor, Tensor>("masked")
    {
        public override Tensor forward(Tensor input) => inner.forward(input.detach()) + 0 * input.sum();
    }

    [Fact]
    public void BadSettingsAreOneClearError()
    {
        using var test = Images(10, seed: 6);
        Assert.Contains("ε must be above 0", Assert.Throws<ArgumentException>(() => RobustnessEvaluation.Run(Brightness(), Pixels01, test, AttackNorm.Linf, [0.0], 5, 10, 1)).Message);
        Assert.Contains("at most 1", Assert.Throws<ArgumentException>(() => RobustnessEvaluation.Run(Brightness(), Pixels01, test, AttackNorm.Linf, [2.0], 5, 10, 1)).Message);
        Assert.Contains("at least 1 step", Assert.Throws<ArgumentException>(() => RobustnessEvaluation.Run(Brightness(), Pixels01, test, AttackNorm.Linf, [0.1], 0, 10, 1)).Message);
    }
}
