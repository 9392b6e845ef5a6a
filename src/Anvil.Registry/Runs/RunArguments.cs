namespace Anvil.Registry.Runs;

/// <summary>Checks on what callers pass to <see cref="IRunStore"/>, shared by its implementations.</summary>
internal static class RunArguments
{
    public static void ValidateParameters(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (key, value) in parameters)
        {
            RequireKey(key, nameof(parameters));
            if (value is null)
            {
                throw new ArgumentException(
                    $"Parameter '{key}' has a null value; record it as a string such as \"none\" or leave it out.",
                    nameof(parameters));
            }
        }
    }

    public static void ValidateMetrics(IReadOnlyDictionary<string, double> metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var key in metrics.Keys)
        {
            RequireKey(key, nameof(metrics));
        }
    }

    public static void ValidateFinalStatus(RunStatus status)
    {
        if (status is not (RunStatus.Finished or RunStatus.Failed or RunStatus.Interrupted))
        {
            throw new ArgumentOutOfRangeException(
                nameof(status), status,
                "A run can be finished as Finished, Failed or Interrupted; to mark it running again, call Resume.");
        }
    }

    private static void RequireKey(string key, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ArgumentException("Names must not be empty or whitespace.", parameterName);
        }
    }
}
