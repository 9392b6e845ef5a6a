using Anvil.Registry.Models;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>An organization with one API key on a plan and one registered model version: what a ledger test bills.</summary>
public sealed record Customer(Organization Organization, ApiKey Key, Plan Plan, ModelVersion Model);
