using Anvil.Training.Data.Series;

namespace Anvil.Training.Tests.Data.Series;

public sealed class RollingOriginTests
{
    [Fact]
    public void FoldsHoldOutLaterBlocksInTurnAndTrainOnEverythingBeforeTheGap()
    {
        var folds = RollingOrigin.Folds(windows: 1_000, k: 3, skipped: 83);

        Assert.Equal(new (Range, Range)[] { (0..167, 250..500), (0..417, 500..750), (0..667, 750..1_000) }, folds);
    }

    [Fact]
    public void NoFoldTrainsOnAWindowWithinSkippedOfItsHeldOutBlock()
    {
        foreach (var (train, heldOut) in RollingOrigin.Folds(windows: 517, k: 4, skipped: 20))
            Assert.Equal(20, heldOut.Start.Value - train.End.Value);
    }

    [Fact]
    public void TooShortASeriesForTheFoldsIsAnErrorNamingTheFix()
    {
        var error = Assert.Throws<ArgumentException>(() => RollingOrigin.Folds(windows: 100, k: 5, skipped: 83));

        Assert.Contains("Use fewer --folds, a longer series", error.Message);
    }
}
