namespace Anvil.Training.Data.Series;

/// <summary>
/// Rolling-origin (expanding-window) folds over a series' windows in time order: the last k blocks of equal size are
/// held out one after another, and each fold trains on every window before its block except the last
/// <c>skipped</c> ones, so a gap separates what a fold trains on from what it is scored on, as in the train/test split.
/// Never a random fold: a forecaster is always scored on windows later than all it trained on.
/// </summary>
/// <example>
/// <code>foreach (var (train, test) in RollingOrigin.Folds(windows: 1_000, k: 3, skipped: 83)) { /* train: [0, 167), test: [250, 500), … */ }</code>
/// </example>
public static class RollingOrigin
{
    /// <summary>Per fold, the training and held-out window ranges.</summary>
    /// <param name="windows">Number of windows, in time order.</param>
    /// <param name="k">Number of folds (at least 2).</param>
    /// <param name="skipped">Windows dropped before each held-out block (input + horizon − 1 + gap), so none reads a value the block reads.</param>
    public static IReadOnlyList<(Range Train, Range HeldOut)> Folds(int windows, int k, int skipped)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(skipped);
        var block = windows / (k + 1); // the first block is training only
        var firstTrain = windows - (k * block) - skipped;
        if (block < 1 || firstTrain < 2)
            throw new ArgumentException($"cv of a series with {k} folds holds out {k} blocks of {block} windows from the {windows:N0} of the training part; the first fold would train on {Math.Max(firstTrain, 0)} after skipping {skipped} (series.input + series.horizon - 1 + series.gap). " +
                "Use fewer --folds, a longer series, or a shorter series.input, series.horizon or series.gap.");
        return [.. Enumerable.Range(0, k).Select(f =>
        {
            var start = windows - ((k - f) * block);
            return (new Range(0, start - skipped), new Range(start, start + block));
        })];
    }
}
