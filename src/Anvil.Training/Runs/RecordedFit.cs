using Anvil.Training.Training;

namespace Anvil.Training.Runs;

/// <summary>The part of every run around its fit: a fit that throws marks the run failed; a cancelled or diverged one finishes it as such.</summary>
internal static class RecordedFit
{
    /// <summary>Runs <paramref name="fit"/> and saves its history; <c>Stopped</c> is the summary to return when it did not finish.</summary>
    public static (TrainingResult Result, RunSummary? Stopped) Run(IRunRecorder recorder, string runId, RunArtifacts artifacts, Func<TrainingResult> fit)
    {
        TrainingResult result;
        try
        {
            result = fit();
        }
        catch
        {
            recorder.Finish(runId, RunOutcome.Failed);
            throw;
        }
        artifacts.SaveHistory(result.History);
        if (!result.Cancelled && !result.Diverged)
            return (result, null);
        var stopped = RunSummary.Stopped(runId, artifacts.Directory, result);
        recorder.Finish(runId, stopped.Outcome);
        return (result, stopped);
    }
}
