using System.Security.Cryptography;
using System.Text;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>Dashboard sessions: hashed at rest, ended by expiry, sign-out or the key's revocation, on every replica.</summary>
public abstract class WebSessionTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private WebSessions Sessions => new(Db, Clock);

    [Fact]
    public void ASessionIsFoundByItsTokenWhichIsStoredOnlyHashed()
    {
        var acme = Organizations.Create("acme");
        var key = Keys.Create("acme", "pro", Role.Owner).Key;

        var (token, opened) = Sessions.Open(key);

        Assert.Equal(new WebSession(acme.Id, "acme", key.Id, Role.Owner, Start, Start + WebSessions.DefaultLifetime), opened);
        Assert.Equal(opened, Sessions.Find(token));
        Assert.Null(opened.Models);
        var values = DumpAllValues(Db);
        Assert.DoesNotContain(token, values);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), values);
    }

    [Fact]
    public void ASessionCarriesItsKeysModelScope()
    {
        Organizations.Create("acme");
        var (token, opened) = Sessions.Open(Keys.Create("acme", "pro", Role.Viewer, models: ["digits"]).Key);
        var found = Sessions.Find(token)!;
        Assert.Equal(["digits"], found.Models);
        Assert.Equal(opened.Models, found.Models);
        Assert.True(found.MayUse("digits"));
        Assert.False(found.MayUse("fashion"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("forged")]
    [InlineData("Zm9yZ2VkLWZvcmdlZC1mb3JnZWQtZm9yZ2VkLWZvcmc")]
    [InlineData("a\0b")]
    public void AnUnknownOrMalformedTokenFindsNothing(string? token)
    {
        Organizations.Create("acme");
        Sessions.Open(Keys.Create("acme", "pro").Key);
        Assert.Null(Sessions.Find(token));
        Assert.False(Sessions.End(token));
    }

    [Fact]
    public void ASessionEndsAtItsExpiryAndNeverOutlivesItsKey()
    {
        Organizations.Create("acme");
        var (token, _) = Sessions.Open(Keys.Create("acme", "pro").Key);
        Clock.Advance(WebSessions.DefaultLifetime - TimeSpan.FromSeconds(1));
        Assert.NotNull(Sessions.Find(token));
        Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(Sessions.Find(token));

        var shortKey = Keys.Create("acme", "pro", expiresAt: Clock.GetUtcNow() + TimeSpan.FromHours(1)).Key;
        var (shortToken, session) = Sessions.Open(shortKey);
        Assert.Equal(shortKey.ExpiresAt, session.ExpiresAt);
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Null(Sessions.Find(shortToken));
    }

    [Fact]
    public void SignOutAndRevocationEndTheSessionOnEveryReplica()
    {
        Organizations.Create("acme");
        var key = Keys.Create("acme", "pro");
        using var replica = Backend.OpenReplica(Clock);
        var other = new WebSessions(replica, Clock);
        var (signedOut, _) = Sessions.Open(key.Key);
        var (revoked, _) = Sessions.Open(key.Key);
        Assert.NotNull(other.Find(signedOut));

        Assert.True(Sessions.End(signedOut));
        Assert.Null(other.Find(signedOut));
        Assert.NotNull(other.Find(revoked));
        Keys.Revoke(key.Key.Id);
        Assert.Null(other.Find(revoked));
    }

    [Fact]
    public void OpeningASessionSweepsExpiredOnes()
    {
        Organizations.Create("acme");
        var key = Keys.Create("acme", "pro").Key;
        Sessions.Open(key);
        Clock.Advance(WebSessions.DefaultLifetime);
        var (token, _) = Sessions.Open(key);
        var hashes = DumpAllValues(Db).Where(value => value.Length == 64 && value.All(char.IsAsciiHexDigitLower)).ToList();
        Assert.Equal(2, hashes.Count); // the key's and the one live session's
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), hashes);
    }
}

public sealed class SqliteWebSessionTests() : WebSessionTests(new SqliteBackend());

public sealed class PostgresWebSessionTests() : WebSessionTests(new PostgresBackend());
