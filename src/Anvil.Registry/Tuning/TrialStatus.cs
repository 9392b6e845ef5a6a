namespace Anvil.Registry.Tuning;

/// <summary>A stored trial's state (the <c>trials.state</c> column).</summary>
public enum TrialStatus
{
    /// <summary>'running': leased by a worker.</summary>
    Running,
    /// <summary>'complete': trained to the end, with a value.</summary>
    Complete,
    /// <summary>'pruned': stopped early by the pruner.</summary>
    Pruned,
    /// <summary>'failed': training failed or diverged.</summary>
    Failed,
}
