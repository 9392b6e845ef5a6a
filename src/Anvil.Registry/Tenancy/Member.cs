namespace Anvil.Registry.Tenancy;

/// <summary>A person in an organization, by lower-case e-mail address.</summary>
public sealed record Member(string OrganizationId, string Email, Role Role, DateTimeOffset AddedAt);
