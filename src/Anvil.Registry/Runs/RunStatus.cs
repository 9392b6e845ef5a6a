namespace Anvil.Registry.Runs;

/// <summary>Where a run is in its life. Stored as its lower-case name.</summary>
public enum RunStatus
{
    /// <summary>Training; the heartbeat moves with every logged epoch.</summary>
    Running,

    /// <summary>Completed normally. Terminal.</summary>
    Finished,

    /// <summary>Stopped by an error; may be resumed.</summary>
    Failed,

    /// <summary>Stopped on request (Ctrl+C, cancellation); may be resumed.</summary>
    Interrupted,
}
