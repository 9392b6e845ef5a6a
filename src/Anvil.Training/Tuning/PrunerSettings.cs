namespace Anvil.Training.Tuning;

/// <summary>
/// Which pruner a study uses and its knobs: <c>median</c> (stop a trial whose best value so far is worse
/// than the median of complete trials at the same epoch) or <c>successive_halving</c> (asynchronous
/// successive halving: at epochs min_epochs × reduction_factor^k only the best 1/reduction_factor go on).
/// </summary>
/// <example>
/// <code>"pruner": { "type": "median", "startup_trials": 5, "warmup_epochs": 1 }</code>
/// </example>
public sealed record PrunerSettings
{
    /// <summary>"median" or "successive_halving".</summary>
    public required string Type { get; init; }
    /// <summary>Median: complete trials needed before any pruning.</summary>
    public int StartupTrials { get; init; } = 5;
    /// <summary>Median: epochs never pruned at the start of a trial.</summary>
    public int WarmupEpochs { get; init; }
    /// <summary>Successive halving: the first rung's epoch.</summary>
    public int MinEpochs { get; init; } = 1;
    /// <summary>Successive halving: one in this many trials goes on at each rung.</summary>
    public int ReductionFactor { get; init; } = 3;

    /// <summary>The pruner these settings describe, for a metric where larger is better when <paramref name="maximize"/>.</summary>
    public IPruner Create(bool maximize) => Type switch
    {
        "median" => new MedianPruner(maximize, StartupTrials, WarmupEpochs),
        "successive_halving" => new SuccessiveHalvingPruner(maximize, MinEpochs, ReductionFactor),
        _ => throw Invalid($"type '{Type}' is unknown; use median or successive_halving"),
    };

    /// <summary>Checks the knobs; one error naming the field.</summary>
    public void Validate()
    {
        if (Type is not ("median" or "successive_halving"))
            throw Invalid($"type '{Type}' is unknown; use median or successive_halving");
        if (StartupTrials < 0 || WarmupEpochs < 0)
            throw Invalid($"startup_trials and warmup_epochs must be 0 or more, got {StartupTrials} and {WarmupEpochs}");
        if (MinEpochs < 1 || ReductionFactor < 2)
            throw Invalid($"min_epochs must be 1 or more and reduction_factor 2 or more, got {MinEpochs} and {ReductionFactor}");
    }

    private static InvalidDataException Invalid(string message) => new($"Invalid study: pruner: {message}.");
}
