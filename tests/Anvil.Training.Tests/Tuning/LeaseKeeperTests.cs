using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using Anvil.Training.Tuning;
using Microsoft.Extensions.Time.Testing;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Tuning;

public class LeaseKeeperTests
{
    private static readonly Recipe Fast = new() { Model = "tiny-cnn", Epochs = 2, BatchSize = 8, Optimizer = "adam", LearningRate = 0.01, ValidationFraction = 0, Seed = 3 };

    // Each batch moves the fake clock on by 40 s; 64 samples in batches of 8 are 8 batches an epoch.
    private sealed class Tick(FakeTimeProvider clock) : Callback
    {
        public override void OnBatchEnd(TrainingContext context, int batch, double loss) => clock.Advance(TimeSpan.FromSeconds(40));
    }

    private static TrainingResult Fit(FakeTimeProvider clock, LeaseKeeper keeper)
    {
        using var train = TinyData.Images(64);
        manual_seed(1);
        using var model = ModelBuilder.Build(TinyData.SmallCnn());
        return new Trainer(model, Fast, [new Tick(clock), keeper]).Fit(train);
    }

    [Fact]
    public void TheLeaseIsRenewedOncePerIntervalBetweenEpochs()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var renewals = 0;
        var keeper = new LeaseKeeper(clock, TimeSpan.FromMinutes(2), () => { renewals++; return true; });

        var result = Fit(clock, keeper);

        // 16 batches of 40 s are 640 s: a renewal at 120, 240, 360, 480 and 600 s.
        Assert.Equal(5, renewals);
        Assert.Equal(2, result.History.Count);
        Assert.False(keeper.LeaseLost);
    }

    [Fact]
    public void ALostLeaseStopsTrainingAtTheBatchThatFoundOut()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        var keeper = new LeaseKeeper(clock, TimeSpan.FromMinutes(2), () => false);

        var result = Fit(clock, keeper);

        Assert.True(keeper.LeaseLost);
        Assert.Single(result.History); // the first epoch ends early and the second never starts
        Assert.Contains("lease was taken over", result.StopReason);
    }
}
