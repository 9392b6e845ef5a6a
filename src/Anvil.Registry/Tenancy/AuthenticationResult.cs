namespace Anvil.Registry.Tenancy;

/// <summary>The outcome of <see cref="ApiKeys.Authenticate"/>; <see cref="Key"/> and <see cref="Plan"/> are set only when Valid.</summary>
public sealed record AuthenticationResult(AuthenticationStatus Status, ApiKey? Key, Plan? Plan)
{
    public bool IsValid => Status == AuthenticationStatus.Valid;
}
