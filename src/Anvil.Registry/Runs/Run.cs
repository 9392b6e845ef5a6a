namespace Anvil.Registry.Runs;

/// <summary>One training execution as the registry records it.</summary>
public sealed record Run
{
    /// <summary>32 lower-case hex characters of a GUID v7: sorts by creation time.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The organization the run belongs to; null for runs recorded before runs had one.</summary>
    public string? OrganizationId { get; init; }

    public required RunStatus Status { get; init; }

    /// <summary>Content hash of the dataset version the run trained on.</summary>
    public required string DatasetHash { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Last sign of life: creation, a logged epoch or metric, a resume or the finish.</summary>
    public required DateTimeOffset HeartbeatAt { get; init; }

    /// <summary>When the run left <see cref="RunStatus.Running"/>; null while running.</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    public required string ArtifactsDirectory { get; init; }

    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>Labels the user attached (<c>team=vision</c>, <c>baseline=true</c>): filterable, changeable after the run.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Run-level results such as <c>test_accuracy</c>.</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>Per-epoch metrics in epoch order.</summary>
    public required IReadOnlyList<RunEpoch> Epochs { get; init; }

    /// <summary>
    /// True when the run still says running but has shown no sign of life for longer than
    /// <paramref name="heartbeatTimeout"/>: its process most likely died.
    /// </summary>
    public bool IsAbandoned(DateTimeOffset now, TimeSpan heartbeatTimeout) =>
        Status == RunStatus.Running && now - HeartbeatAt > heartbeatTimeout;
}
