using Anvil.Training.Data;
using Anvil.Training.Data.Series;
using Anvil.Training.Models;
using Anvil.Training.Training;
using Anvil.Training.Transforms;
using static TorchSharp.torch;

namespace Anvil.Training.Runs;

/// <summary>
/// What a series' windows need beyond <see cref="PreparedData.Load"/>'s steps: a chronological validation split (the
/// last <see cref="Recipe.ValidationFraction"/> of the training windows, after a gap in which no window's values are
/// read by the other part) and targets standardised per output with training statistics. Test targets stay in the
/// original unit, since every test figure is reported in it.
/// </summary>
internal static class SeriesPreparation
{
    /// <summary>
    /// Standardises the training and validation targets per output (test targets stay in the original unit) with
    /// statistics fitted on the training windows (<paramref name="refit"/>) or saved in <paramref name="preprocessing"/>;
    /// returns the preprocessing with them recorded.
    /// </summary>
    public static PreprocessingSpec StandardizeTargets(TensorDataset train, TensorDataset? validation, PreprocessingSpec preprocessing, bool refit)
    {
        var targets = refit ? TargetStandardization.Fit(train) : TargetStandardization.From(preprocessing);
        targets.ApplyInPlace(train);
        if (validation is not null)
            targets.ApplyInPlace(validation);
        return targets.AddTo(preprocessing);
    }

    /// <summary>Windows to drop between two parts so that <see cref="SeriesOptions.Gap"/> values separate the last one read by the first part from the first one read by the second.</summary>
    internal static int Skipped(SeriesOptions options) => options.Input + options.Horizon - 1 + options.Gap;

    /// <summary>
    /// The first windows for training, the last <paramref name="fraction"/> for validation. Window i reads values
    /// i … i + Input + Horizon − 1, so skipping Input + Horizon − 1 + Gap windows leaves Gap values between the last
    /// training target and the first validation input.
    /// </summary>
    internal static (TensorDataset Train, TensorDataset Validation) SplitChronologically(TensorDataset windows, double fraction, SeriesOptions options)
    {
        var validation = (int)Math.Round(windows.Count * fraction);
        var skipped = Skipped(options);
        var train = windows.Count - validation - skipped;
        if (validation < 1 || train < 2)
            throw new ArgumentException($"The training part of the series holds {windows.Count} windows: too few to keep validation_fraction {fraction} of them for validation after skipping {skipped} (series.input + series.horizon - 1 + series.gap). " +
                "Use a longer series, a larger validation_fraction, or a shorter series.input, series.horizon or series.gap; validation_fraction 0 trains without validation.");
        using var trainIndices = arange(train);
        using var validationIndices = arange(windows.Count - validation, windows.Count);
        return (windows.Subset(trainIndices), windows.Subset(validationIndices));
    }
}
