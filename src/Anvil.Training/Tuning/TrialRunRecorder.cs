using Anvil.Training.Runs;

namespace Anvil.Training.Tuning;

/// <summary>Records a trial's run as any run is recorded, and ties the run to its trial as soon as it exists.</summary>
internal sealed class TrialRunRecorder(IRunRecorder inner, Action<string> attach) : IRunRecorder
{
    public RecordedRun CreateRun(string name, IReadOnlyDictionary<string, string> parameters, string datasetHash)
    {
        var run = inner.CreateRun(name, parameters, datasetHash);
        attach(run.Id);
        return run;
    }

    public void LogEpoch(string runId, int epoch, IReadOnlyDictionary<string, double> metrics) => inner.LogEpoch(runId, epoch, metrics);

    public void LogMetrics(string runId, IReadOnlyDictionary<string, double> metrics) => inner.LogMetrics(runId, metrics);

    public void LogEvaluation(string runId, string document) => inner.LogEvaluation(runId, document);

    public void Finish(string runId, RunOutcome outcome) => inner.Finish(runId, outcome);

    public void Resume(string runId) => inner.Resume(runId);

    public RecordedRun GetRun(string idOrPrefix) => inner.GetRun(idOrPrefix);
}
