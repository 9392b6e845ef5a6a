using Anvil.Training.Data;
using Anvil.Training.Data.Series;
using Anvil.Training.Models;
using Anvil.Training.Training;
using Anvil.Training.Transforms;
using static TorchSharp.torch;

namespace Anvil.Training.Runs;

/// <summary>
/// Cross-validation of a forecaster on rolling-origin folds (<see cref="RollingOrigin"/>) of the training part's windows:
/// each fold fits input normalisation and target standardisation on its own training windows, trains a fresh model,
/// and is scored on the later block in the series' unit, beside the seasonal-naive baseline on the same windows.
/// </summary>
internal static class SeriesCrossValidation
{
    /// <summary>What a forecaster's fold reports, headline first.</summary>
    public static IReadOnlyList<string> Metrics { get; } = ["test_mae", "seasonal_naive_mae"];

    /// <param name="windows">The training part's raw windows in time order (inputs and targets in the series' unit); not modified.</param>
    public static CrossValidationResult Run(TensorDataset windows, ModelSpec spec, Recipe recipe, SeriesOptions options, int folds,
        Func<int, IEnumerable<Callback>>? callbacks, CancellationToken cancellationToken)
    {
        var figures = new List<double[]>();
        foreach (var (trainRange, heldOutRange) in RollingOrigin.Folds(windows.Count, folds, SeriesPreparation.Skipped(options)))
        {
            var (train, heldOut, preprocessing) = PrepareFold(windows, trainRange, heldOutRange);
            using var _ = train;
            using var __ = heldOut;
            using var model = CrossValidation.FitFold(spec with { Preprocessing = preprocessing }, recipe, train, figures.Count + 1, callbacks, cancellationToken);
            figures.Add(ForecastEvaluation.FoldFigures(model, heldOut, preprocessing, options));
        }
        return new CrossValidationResult(Metrics, figures);
    }

    /// <summary>
    /// A fold's windows: inputs normalised and training targets standardised with statistics of its training windows
    /// only; the held-out targets stay in the series' unit, in which every figure is reported.
    /// </summary>
    internal static (TensorDataset Train, TensorDataset HeldOut, PreprocessingSpec Preprocessing) PrepareFold(TensorDataset windows, Range train, Range heldOut)
    {
        var (trainPart, heldOutPart) = (Slice(windows, train), Slice(windows, heldOut));
        var normalization = Normalization.Fit(trainPart);
        normalization.ApplyInPlace(trainPart);
        normalization.ApplyInPlace(heldOutPart);
        return (trainPart, heldOutPart, SeriesPreparation.StandardizeTargets(trainPart, validation: null, normalization.ToSpec(1), refit: true));
    }

    private static TensorDataset Slice(TensorDataset windows, Range range)
    {
        using var indices = arange(range.Start.Value, range.End.Value);
        return windows.Subset(indices);
    }
}
