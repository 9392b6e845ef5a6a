namespace Anvil.Training.Training.Callbacks;

/// <summary>Reads a named figure out of <see cref="EpochMetrics"/>, for callbacks that watch one.</summary>
internal static class MonitoredMetric
{
    public static IReadOnlyList<string> Names { get; } = ["val_loss", "val_accuracy", "loss", "accuracy", "val_mae", "val_rmse", "mae"];

    public static void Validate(string name)
    {
        if (!Names.Contains(name))
            throw new ArgumentException($"Cannot monitor '{name}'. Use any of the following: {string.Join(", ", Names)}.", nameof(name));
    }

    /// <summary>True when larger is better.</summary>
    public static bool Maximize(string name) => name.EndsWith("accuracy", StringComparison.Ordinal);

    /// <summary>The monitored value; a validation metric in a fit without a validation split is an error that says what to monitor instead.</summary>
    public static double ReadRequired(string name, EpochMetrics m, string callback) => Read(name, m)
        ?? throw new InvalidOperationException($"{callback} monitors '{name}' but the fit has no validation split. Monitor 'loss' or 'accuracy', or set a validation fraction.");

    private static double? Read(string name, EpochMetrics m) => m.ToValues().TryGetValue(name, out var value) ? value : null;
}
