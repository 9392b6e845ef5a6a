namespace Anvil.Training.Tuning;

/// <summary>Where a trial stands, as in Optuna.</summary>
public enum TrialState
{
    /// <summary>Leased by a worker and training.</summary>
    Running,
    /// <summary>Trained to the end; its value counts.</summary>
    Complete,
    /// <summary>Stopped early by the pruner; its intermediate values count, its value does not.</summary>
    Pruned,
    /// <summary>Training failed or diverged.</summary>
    Failed,
}
