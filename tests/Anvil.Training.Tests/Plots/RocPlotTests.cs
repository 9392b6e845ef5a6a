using Anvil.Training.Metrics;
using Anvil.Training.Plots;

namespace Anvil.Training.Tests.Plots;

public class RocPlotTests
{
    private static readonly RocResult s_roc = new(
    [
        RocCurve.FromScores([0.9, 0.8, 0.7, 0.6, 0.55, 0.4, 0.3, 0.2], [true, true, false, true, false, true, false, false]),
        RocCurve.FromScores([0.9, 0.7, 0.7, 0.5, 0.3, 0.1], [true, false, true, false, true, false]),
        RocCurve.FromScores([0.5, 0.4], [false, false]), // no positives: AUC n/a, no curve
    ]);

    [Fact]
    public void SavesADecodablePngOfTheCurves()
    {
        PngAssert.SavesDrawnPng(path => RocPlot.Save(s_roc, ["cat", "dog", "bird"], path), 500, 500);
    }

    [Fact]
    public void ClassNameCountMismatchIsRejectedWithBothCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => RocPlot.Save(s_roc, ["cat"], PngAssert.TempPath()));
        Assert.Contains("Got 1 class names but the ROC result has 3 classes", error.Message);
    }
}
