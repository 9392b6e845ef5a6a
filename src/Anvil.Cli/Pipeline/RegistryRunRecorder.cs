using Anvil.Registry.Runs;
using Anvil.Training.Runs;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// The bridge from Training's run pipeline to the registry: records runs in the registry's <see cref="IRunStore"/>,
/// attaches the user's tags and organization to a new run, and moves the run's heartbeat every
/// <see cref="RunStore.HeartbeatInterval"/> while this process trains it, so a run whose process died is
/// shown as crashed and a long epoch is not.
/// </summary>
internal sealed class RegistryRunRecorder(IRunStore store, IReadOnlyDictionary<string, string>? tags = null, string? organizationId = null) : IRunRecorder, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Timer> _heartbeats = [];

    public RecordedRun CreateRun(string name, IReadOnlyDictionary<string, string> parameters, string datasetHash)
    {
        var run = store.CreateRun(name, parameters, datasetHash, tags, organizationId);
        StartHeartbeat(run.Id);
        return ToRecorded(run);
    }

    public void LogEpoch(string runId, int epoch, IReadOnlyDictionary<string, double> metrics) => store.LogEpoch(runId, epoch, metrics);

    public void LogMetrics(string runId, IReadOnlyDictionary<string, double> metrics) => store.LogMetrics(runId, metrics);

    public void LogEvaluation(string runId, string document) => store.LogEvaluation(runId, document);

    public void Finish(string runId, RunOutcome outcome)
    {
        StopHeartbeat(runId);
        store.Finish(runId, outcome switch
        {
            RunOutcome.Finished => RunStatus.Finished,
            RunOutcome.Interrupted => RunStatus.Interrupted,
            _ => RunStatus.Failed, // a diverged run failed; the reason is in its history
        });
    }

    public void Resume(string runId)
    {
        store.Resume(runId);
        StartHeartbeat(runId);
    }

    public RecordedRun GetRun(string idOrPrefix) => ToRecorded(store.GetRun(idOrPrefix));

    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var timer in _heartbeats.Values)
                timer.Dispose();
            _heartbeats.Clear();
        }
    }

    private void StartHeartbeat(string runId)
    {
        var timer = new Timer(_ => Beat(runId), null, RunStore.HeartbeatInterval, RunStore.HeartbeatInterval);
        lock (_lock)
        {
            if (_heartbeats.Remove(runId, out var earlier))
                earlier.Dispose();
            _heartbeats[runId] = timer;
        }
    }

    private void StopHeartbeat(string runId)
    {
        lock (_lock)
        {
            if (_heartbeats.Remove(runId, out var timer))
                timer.Dispose();
        }
    }

    private void Beat(string runId)
    {
        try
        {
            store.Heartbeat(runId);
        }
        catch (Exception e) when (e is Anvil.Registry.RegistryException or System.Data.Common.DbException or IOException)
        {
            // A busy or briefly unreachable database: the next beat or epoch moves the heartbeat instead.
        }
    }

    private static RecordedRun ToRecorded(Run run) => new(run.Id, run.ArtifactsDirectory, run.Parameters, run.Status == RunStatus.Finished);
}
