namespace Anvil.Registry.Tuning;

/// <summary>A tuning study as the registry keeps it: its name and its definition (the study file as JSON).</summary>
/// <param name="Id">Row id.</param>
/// <param name="Name">Unique name.</param>
/// <param name="Definition">The study file, normalised JSON.</param>
/// <param name="CreatedAt">When the first worker opened it.</param>
public sealed record Study(string Id, string Name, string Definition, DateTimeOffset CreatedAt);
