namespace Anvil.Training.Runs;

/// <summary>
/// Where a run's record is kept: the registry database in the CLI, anything else in a test or a
/// remote worker. Plain types only, so Anvil.Training references neither a database nor HTTP.
/// </summary>
/// <example>
/// <code>
/// var run = recorder.CreateRun("mlp-iris", parameters, datasetHash);
/// recorder.LogMetrics(run.Id, new Dictionary&lt;string, double&gt; { ["test_accuracy"] = 0.93 });
/// recorder.Finish(run.Id, RunOutcome.Finished);
/// </code>
/// </example>
public interface IRunRecorder
{
    /// <summary>Records a new running run and creates its (empty) artifacts directory.</summary>
    RecordedRun CreateRun(string name, IReadOnlyDictionary<string, string> parameters, string datasetHash);

    /// <summary>Records one epoch's named metrics; logging the same epoch again (after a resume) replaces it.</summary>
    void LogEpoch(string runId, int epoch, IReadOnlyDictionary<string, double> metrics);

    /// <summary>Records run-level results such as <c>test_accuracy</c>; a repeated key replaces.</summary>
    void LogMetrics(string runId, IReadOnlyDictionary<string, double> metrics);

    /// <summary>
    /// Records the test evaluation's confusion matrix and ROC curves (an <see cref="EvaluationDocument"/>), so they
    /// can be drawn wherever the run is read; a recorder that keeps no such document ignores it.
    /// </summary>
    void LogEvaluation(string runId, string document)
    {
    }

    /// <summary>Ends a running run.</summary>
    void Finish(string runId, RunOutcome outcome);

    /// <summary>Marks an interrupted, failed or abandoned run as running again.</summary>
    void Resume(string runId);

    /// <summary>A run by its id or a unique prefix; throws a user error naming the prefix when none or several match.</summary>
    RecordedRun GetRun(string idOrPrefix);
}
