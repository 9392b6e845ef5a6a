namespace Anvil.Registry.Tenancy;

/// <summary>What a member or an API key may do in its organization. Stored as its lower-case name.</summary>
public enum Role
{
    /// <summary>Reads models, usage and invoices.</summary>
    Viewer,

    /// <summary>Also predicts, registers models and moves aliases.</summary>
    Developer,

    /// <summary>Also manages members and API keys.</summary>
    Owner,
}
