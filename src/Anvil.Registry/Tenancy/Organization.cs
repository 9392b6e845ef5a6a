namespace Anvil.Registry.Tenancy;

/// <summary>A tenant: its members, API keys, models and usage are invisible to every other organization.</summary>
public sealed record Organization(string Id, string Name, DateTimeOffset CreatedAt);
