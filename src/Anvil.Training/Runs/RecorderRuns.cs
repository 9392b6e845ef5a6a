namespace Anvil.Training.Runs;

/// <summary>The end of a recorded run that is not a fit (cross-validation, an audit): finished, interrupted or failed, as its work ends.</summary>
public static class RecorderRuns
{
    /// <summary>Runs <paramref name="work"/> for run <paramref name="runId"/> and records how it ended; exceptions pass on.</summary>
    public static T Finishing<T>(this IRunRecorder recorder, string runId, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        ArgumentNullException.ThrowIfNull(work);
        try
        {
            var result = work();
            recorder.Finish(runId, RunOutcome.Finished);
            return result;
        }
        catch (OperationCanceledException)
        {
            recorder.Finish(runId, RunOutcome.Interrupted);
            throw;
        }
        catch
        {
            recorder.Finish(runId, RunOutcome.Failed);
            throw;
        }
    }
}
