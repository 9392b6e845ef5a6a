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

    /// <summary>Tag keys are short names (<c>team</c>, <c>data.version</c>); values are any text up to 256 characters.</summary>
    public static void ValidateTags(IReadOnlyDictionary<string, string> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        foreach (var (key, value) in tags)
        {
            if (key.Length is 0 or > 64 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/'))
            {
                throw new ArgumentException(
                    $"Tag name '{key}' is not valid: use 1 to 64 letters, digits, '_', '-', '.' or '/', e.g. team=vision.", nameof(tags));
            }

            if (value is null || value.Length > 256)
                throw new ArgumentException($"Tag '{key}' needs a value of at most 256 characters, e.g. {key}=baseline.", nameof(tags));
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
