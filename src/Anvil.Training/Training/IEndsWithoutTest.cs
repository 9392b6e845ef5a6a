namespace Anvil.Training.Training;

/// <summary>
/// A callback that can end a run without its test evaluation: a tuning trial's pruner, whose trial is judged on
/// validation only (the test set must not steer a search, and evaluating it would spend the time pruning saved).
/// </summary>
public interface IEndsWithoutTest
{
    /// <summary>True once the run should end with its training figures only.</summary>
    bool EndsWithoutTest { get; }
}
