namespace Anvil.Registry.Privacy;

/// <summary>
/// What <see cref="OrganizationErasure"/> deleted (or, for a preview, would delete) and what it kept: rows by kind, and
/// the folders removed from disk. <see cref="AlreadyErased"/>: the organization had been erased before; nothing changed.
/// </summary>
public sealed record ErasureReport(
    string Organization,
    bool AlreadyErased,
    IReadOnlyDictionary<string, long> Deleted,
    IReadOnlyDictionary<string, long> Kept,
    int FoldersDeleted = 0,
    int SharedFoldersKept = 0);
