namespace Anvil.Registry.Tenancy;

/// <summary>
/// A tenant: its members, API keys, models and usage are invisible to every other organization. An erased one
/// (<see cref="ErasedAt"/> set by <c>./anvil orgs erase</c>) keeps only its billing records and may not be used again.
/// </summary>
public sealed record Organization(string Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ErasedAt = null);
