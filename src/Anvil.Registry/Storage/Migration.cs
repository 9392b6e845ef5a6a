namespace Anvil.Registry.Storage;

/// <summary>One step of the schema. Versions start at 1 and never change once released.</summary>
internal sealed record Migration(int Version, string Description, string Sql);
