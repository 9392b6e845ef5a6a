using Anvil.Registry.Tuning;
using Anvil.Training.Tuning;

namespace Anvil.Cli.Commands;

/// <summary>The bridge from Training's study worker to the registry: one study's trials in the registry's <see cref="TrialStore"/>, for one worker.</summary>
internal sealed class TuneStorage(TrialStore trials, string studyId, string worker) : IStudyStorage
{
    public TrialLease? Lease(int maxTrials, Func<IReadOnlyList<TrialRecord>, int, IReadOnlyDictionary<string, double>?> sample) =>
        trials.Lease(studyId, worker, maxTrials, (stored, number) => sample(stored.Select(ToRecord).ToList(), number)) is { } lease
            ? new TrialLease(ToRecord(lease.Trial), lease.TakenOver)
            : null;

    public bool Report(int number, int epoch, double value) => trials.Report(studyId, number, worker, epoch, value);

    public bool Renew(int number) => trials.Renew(studyId, number, worker);

    public bool AttachRun(int number, string runId) => trials.AttachRun(studyId, number, worker, runId);

    public bool Finish(int number, TrialState state, double? value, IReadOnlyList<double>? values = null) => trials.Finish(studyId, number, worker, state switch
    {
        TrialState.Complete => TrialStatus.Complete,
        TrialState.Pruned => TrialStatus.Pruned,
        _ => TrialStatus.Failed,
    }, value, values);

    public bool Release(int number) => trials.Release(studyId, number, worker);

    public IReadOnlyList<TrialRecord> Trials() => trials.Trials(studyId).Select(ToRecord).ToList();

    public static TrialRecord ToRecord(StoredTrial t) => new(t.Number, t.Parameters, t.Status switch
    {
        TrialStatus.Running => TrialState.Running,
        TrialStatus.Complete => TrialState.Complete,
        TrialStatus.Pruned => TrialState.Pruned,
        _ => TrialState.Failed,
    }, t.Value, t.Intermediate) { RunId = t.RunId, Values = t.Values };
}
