namespace Anvil.Registry.Runs;

/// <summary>The lower-case names <see cref="RunStatus"/> values are stored and shown as.</summary>
public static class RunStatusNames
{
    public static string ToText(RunStatus status) => status switch
    {
        RunStatus.Running => "running",
        RunStatus.Finished => "finished",
        RunStatus.Failed => "failed",
        RunStatus.Interrupted => "interrupted",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown run status."),
    };

    public static RunStatus Parse(string text) => text switch
    {
        "running" => RunStatus.Running,
        "finished" => RunStatus.Finished,
        "failed" => RunStatus.Failed,
        "interrupted" => RunStatus.Interrupted,
        _ => throw new RegistryException(
            $"The registry holds a run with status '{text}', which this Anvil does not know " +
            "(expected running, finished, failed or interrupted). Upgrade Anvil."),
    };
}
