namespace Anvil.Training.Tuning;

/// <summary>
/// One trial of a study as samplers and pruners see it: its parameters (internal values, see
/// <see cref="ParameterRange"/>), its state, its final value and its per-epoch values of the study's metric.
/// </summary>
/// <param name="Number">0-based, unique within the study.</param>
/// <param name="Parameters">Internal value of each parameter of the space.</param>
/// <param name="State">Running, complete, pruned or failed.</param>
/// <param name="Value">The metric at the last epoch of a complete trial; null otherwise.</param>
/// <param name="Intermediate">The metric after each epoch (1-based) reported so far.</param>
/// <example>
/// <code>var done = new TrialRecord(0, new Dictionary&lt;string, double&gt; { ["learning_rate"] = 0.01 }, TrialState.Complete, 0.91, curve);</code>
/// </example>
public sealed record TrialRecord(
    int Number,
    IReadOnlyDictionary<string, double> Parameters,
    TrialState State,
    double? Value,
    IReadOnlyDictionary<int, double> Intermediate)
{
    /// <summary>A complete trial's value of each objective of a multi-objective study, in the study's order; null otherwise.</summary>
    public IReadOnlyList<double>? Values { get; init; }

    /// <summary>The run the trial trains in; null until the run is created.</summary>
    public string? RunId { get; init; }

    /// <summary>The best value reported up to and including <paramref name="epoch"/>, or null when none was.</summary>
    public double? BestUpTo(int epoch, bool maximize)
    {
        var values = Intermediate.Where(p => p.Key <= epoch).Select(p => p.Value).ToList();
        return values.Count == 0 ? null : maximize ? values.Max() : values.Min();
    }
}
