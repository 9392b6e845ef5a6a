namespace Anvil.Registry.Tenancy;

/// <summary>A new key and its full string <c>anvil_&lt;id&gt;_&lt;secret&gt;</c>, shown once: only its hash is stored.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret)
{
    /// <summary>Keeps the secret out of logs that print records.</summary>
    public override string ToString() => $"CreatedApiKey {{ Key = {Key}, Secret = *** }}";
}
