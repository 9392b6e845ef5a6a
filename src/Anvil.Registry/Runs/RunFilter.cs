namespace Anvil.Registry.Runs;

/// <summary>
/// Which runs a listing shows: of one organization, with one tag, in one status, whose name contains some
/// text (LIKE: case-insensitive for ASCII on SQLite, case-sensitive on PostgreSQL), of one dataset version.
/// Null matches everything.
/// </summary>
public sealed record RunFilter(
    string? OrganizationId = null,
    KeyValuePair<string, string>? Tag = null,
    RunStatus? Status = null,
    string? NameContains = null,
    string? DatasetHash = null);
