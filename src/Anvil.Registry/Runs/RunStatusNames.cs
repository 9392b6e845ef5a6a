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

    /// <summary>
    /// The status a person should see: a running run whose heartbeat stopped longer than
    /// <see cref="RunStore.HeartbeatTimeout"/> ago is <c>crashed</c> (its process died; it can be resumed).
    /// </summary>
    public static string Shown(Run run, DateTimeOffset now) =>
        run.IsAbandoned(now, RunStore.HeartbeatTimeout) ? "crashed" : ToText(run.Status);

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
