using Anvil.Training.Plots;
using Anvil.Training.Training;

namespace Anvil.Training.Tests.Plots;

public class TrainingCurvesPlotTests
{
    private static readonly EpochMetrics[] s_history =
    [
        new(1, 1.90, 0.42, 1.60, 0.51, 1e-3, 3.1),
        new(2, 1.20, 0.63, 1.10, 0.66, 1e-3, 3.0),
        new(3, 0.80, 0.75, 0.90, 0.71, 5e-4, 3.2),
        new(4, 0.55, 0.83, 0.85, 0.74, 5e-4, 3.0),
        new(5, 0.41, 0.88, 0.88, 0.74, 2.5e-4, 3.1),
    ];

    [Fact]
    public void SavesADecodablePngWithBothPanelsDrawn()
    {
        PngAssert.SavesDrawnPng(path => TrainingCurvesPlot.Save(s_history, path), 800, 400);
    }

    [Fact]
    public void HistoryWithoutValidationFiguresStillPlots()
    {
        PngAssert.SavesDrawnPng(path => TrainingCurvesPlot.Save([new EpochMetrics(1, 0.7, 0.5, null, null, 1e-3, 1)], path), 800, 400);
    }

    [Fact]
    public void EmptyHistoryIsRejectedWithTheFix()
    {
        var error = Assert.Throws<ArgumentException>(() => TrainingCurvesPlot.Save([], PngAssert.TempPath()));
        Assert.Contains("train for at least one epoch", error.Message);
    }
}
