namespace Anvil.Training.Tuning;

/// <summary>Decides after each epoch whether a trial is hopeless next to the others (Optuna's pruner).</summary>
/// <example>
/// <code>if (pruner.ShouldPrune(epoch, trial, others)) context.StopTraining = true;</code>
/// </example>
public interface IPruner
{
    /// <summary>True when <paramref name="trial"/>, which has just reported <paramref name="epoch"/>, should stop.</summary>
    /// <param name="epoch">The epoch just reported (1-based).</param>
    /// <param name="trial">The trial, with its intermediate values so far.</param>
    /// <param name="others">Every other trial of the study, in any state.</param>
    bool ShouldPrune(int epoch, TrialRecord trial, IReadOnlyList<TrialRecord> others);
}
