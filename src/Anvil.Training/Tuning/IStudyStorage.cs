namespace Anvil.Training.Tuning;

/// <summary>
/// Where one worker keeps a study's trials: the registry database in the CLI (several workers, one study),
/// anything else elsewhere. Bound to one study and one worker; every write returns false once the
/// trial's lease has passed to another worker. Plain types only, like <see cref="Runs.IRunRecorder"/>.
/// </summary>
/// <example>
/// <code>var lease = storage.Lease(maxTrials: 20, (trials, number) => sampler.Sample(space, trials, number));</code>
/// </example>
public interface IStudyStorage
{
    /// <summary>A trial whose lease lapsed, else a new one with the sampled parameters; null when the budget is spent or the sampler has nothing left.</summary>
    TrialLease? Lease(int maxTrials, Func<IReadOnlyList<TrialRecord>, int, IReadOnlyDictionary<string, double>?> sample);

    /// <summary>Records the metric after an epoch and renews the lease.</summary>
    bool Report(int number, int epoch, double value);

    /// <summary>Renews the lease.</summary>
    bool Renew(int number);

    /// <summary>Records the run the trial trains in.</summary>
    bool AttachRun(int number, string runId);

    /// <summary>Ends the trial: complete with its value (and a multi-objective study's <paramref name="values"/>, one per objective), pruned or failed.</summary>
    bool Finish(int number, TrialState state, double? value, IReadOnlyList<double>? values = null);

    /// <summary>Lets the lease lapse now, so the next worker resumes the trial.</summary>
    bool Release(int number);

    /// <summary>Every trial of the study.</summary>
    IReadOnlyList<TrialRecord> Trials();
}
