namespace Anvil.Registry.Privacy;

/// <summary>What an organization export wrote: the directory, how many of each kind of record, and every file with its digest.</summary>
public sealed record ExportSummary(string Directory, IReadOnlyDictionary<string, long> Counts, IReadOnlyList<ExportedFile> Files);
