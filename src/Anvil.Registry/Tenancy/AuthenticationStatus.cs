namespace Anvil.Registry.Tenancy;

/// <summary>Why a presented API key was accepted or refused.</summary>
public enum AuthenticationStatus
{
    Valid,

    /// <summary>No key was presented.</summary>
    Missing,

    /// <summary>Not of the form <c>anvil_&lt;12 base32 chars&gt;_&lt;43 base64url chars&gt;</c>.</summary>
    Malformed,

    /// <summary>No key has that id, or the secret does not match it.</summary>
    Unknown,

    Expired,

    Revoked,
}
