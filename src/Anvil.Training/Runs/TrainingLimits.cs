using System.Globalization;

namespace Anvil.Training.Runs;

/// <summary>Optional limits on a run: use only the first <paramref name="Samples"/> samples of each split (a fast dev run), stop early after <paramref name="Patience"/> epochs without improvement.</summary>
/// <example>
/// <code>var limits = new TrainingLimits(Samples: 256, Patience: null);</code>
/// </example>
public sealed record TrainingLimits(int? Samples, int? Patience)
{
    /// <summary>Adds the limits to a run's parameters.</summary>
    public void AddTo(IDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (Samples is { } samples)
            parameters["limit"] = samples.ToString(CultureInfo.InvariantCulture);
        if (Patience is { } patience)
            parameters["patience"] = patience.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The limits a run was started with, read back from its recorded parameters.</summary>
    public static TrainingLimits FromParameters(IReadOnlyDictionary<string, string> parameters) => new(Read(parameters, "limit"), Read(parameters, "patience"));

    private static int? Read(IReadOnlyDictionary<string, string> parameters, string key) =>
        parameters.TryGetValue(key, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : null;
}
