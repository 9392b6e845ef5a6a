namespace Anvil.Training.Tuning;

/// <summary>
/// Chooses the parameters of a study's next trial from the trials so far (Optuna's sampler). Seeded
/// samplers draw from a generator seeded by the study's seed and the trial's number, so the same
/// trials give the same choice whichever worker asks.
/// </summary>
/// <example>
/// <code>IReadOnlyDictionary&lt;string, double&gt;? next = new RandomSampler(seed: 1).Sample(space, trials, number: trials.Count);</code>
/// </example>
public interface ISampler
{
    /// <summary>Internal values for trial <paramref name="number"/>, or null when the sampler has nothing left to try (a finished grid).</summary>
    IReadOnlyDictionary<string, double>? Sample(SearchSpace space, IReadOnlyList<TrialRecord> trials, int number);

    /// <summary>A generator for one trial: the study's seed and the trial number, mixed so neighbouring seeds do not share streams.</summary>
    internal static Random GeneratorFor(int seed, int number) => new(unchecked(seed * 1_000_003 + number * 7919 + 17));
}
