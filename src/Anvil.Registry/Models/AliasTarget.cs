namespace Anvil.Registry.Models;

/// <summary>Where one alias of one model points: what the server loads for <c>model@alias</c>.</summary>
public sealed record AliasTarget(string OrganizationId, string ModelName, string Alias, ModelVersion Version);
