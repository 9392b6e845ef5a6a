namespace Anvil.Registry.Runs;

/// <summary>Run ids: time-ordered GUID v7 in the 32-hex-digit "N" form, so text order is creation order.</summary>
public static class RunIds
{
    /// <summary>Shortest prefix accepted in place of a full id (git accepts short hashes the same way).</summary>
    public const int MinimumPrefixLength = 6;

    public static string New(DateTimeOffset createdAt) => Guid.CreateVersion7(createdAt).ToString("N");
}
