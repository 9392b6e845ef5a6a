using Anvil.Training.Metrics;
using Anvil.Training.Plots;

namespace Anvil.Training.Tests.Plots;

public class ConfusionMatrixPlotTests
{
    private static readonly ConfusionMatrixResult s_matrix = new(new long[,] { { 50, 3, 1 }, { 4, 41, 9 }, { 0, 7, 38 } });

    [Fact]
    public void SavesADecodablePngOfTheHeatmap()
    {
        PngAssert.SavesDrawnPng(path => ConfusionMatrixPlot.Save(s_matrix, ["cat", "dog", "a rather long class name"], path), 300, 300);
    }

    [Fact]
    public void ClassNameCountMismatchIsRejectedWithBothCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => ConfusionMatrixPlot.Save(s_matrix, ["cat", "dog"], PngAssert.TempPath()));
        Assert.Contains("Got 2 class names but the confusion matrix has 3 classes", error.Message);
    }
}
