namespace Anvil.Training.Tuning;

/// <summary>Independent uniform draws (log-uniform for log ranges): the baseline every other sampler must beat.</summary>
/// <example>
/// <code>var sampler = new RandomSampler(seed: 1);</code>
/// </example>
public sealed class RandomSampler(int seed) : ISampler
{
    /// <inheritdoc />
    public IReadOnlyDictionary<string, double>? Sample(SearchSpace space, IReadOnlyList<TrialRecord> trials, int number)
    {
        ArgumentNullException.ThrowIfNull(space);
        var random = ISampler.GeneratorFor(seed, number);
        return space.Parameters.ToDictionary(p => p.Name, p => p.Range.SampleUniform(random));
    }
}
