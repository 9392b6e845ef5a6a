namespace Anvil.Registry.Privacy;

/// <summary>One file of an organization export: its path inside the export ('/'-separated), SHA-256 (hex) and size in bytes.</summary>
public sealed record ExportedFile(string Path, string Sha256, long Bytes);
