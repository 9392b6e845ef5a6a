using Anvil.Registry.Runs;
using Anvil.Training.Runs;

namespace Anvil.Cli.Pipeline;

/// <summary>The bridge from Training's run pipeline to the registry: records runs in the registry's <see cref="IRunStore"/>.</summary>
internal sealed class RegistryRunRecorder(IRunStore store) : IRunRecorder
{
    public RecordedRun CreateRun(string name, IReadOnlyDictionary<string, string> parameters, string datasetHash) =>
        ToRecorded(store.CreateRun(name, parameters, datasetHash));

    public void LogEpoch(string runId, int epoch, IReadOnlyDictionary<string, double> metrics) => store.LogEpoch(runId, epoch, metrics);

    public void LogMetrics(string runId, IReadOnlyDictionary<string, double> metrics) => store.LogMetrics(runId, metrics);

    public void Finish(string runId, RunOutcome outcome) => store.Finish(runId, outcome switch
    {
        RunOutcome.Finished => RunStatus.Finished,
        RunOutcome.Interrupted => RunStatus.Interrupted,
        _ => RunStatus.Failed, // a diverged run failed; the reason is in its history
    });

    public void Resume(string runId) => store.Resume(runId);

    public RecordedRun GetRun(string idOrPrefix) => ToRecorded(store.GetRun(idOrPrefix));

    private static RecordedRun ToRecorded(Run run) => new(run.Id, run.ArtifactsDirectory, run.Parameters, run.Status == RunStatus.Finished);
}
