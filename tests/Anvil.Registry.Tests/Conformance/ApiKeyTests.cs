using System.Security.Cryptography;
using System.Text;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Tests.Conformance;

public abstract class ApiKeyTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    [Fact]
    public void CreatedKeyShowsItsSecretOnceAndTheDatabaseHoldsOnlyItsHash()
    {
        var acme = Organizations.Create("acme");

        var created = Keys.Create("acme", "pro", Role.Owner, name: "ci");

        Assert.Matches("^anvil_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$", created.Secret);
        Assert.Equal(created.Secret.Substring(6, 12), created.Key.Id);
        Assert.Equal(new ApiKey(created.Key.Id, acme.Id, "acme", "pro", Role.Owner, "ci", Start, null, null), created.Key);
        Assert.DoesNotContain(created.Secret, created.ToString());
        var secretPart = created.Secret[19..];
        var values = DumpAllValues(Db);
        Assert.DoesNotContain(values, value => value.Contains(secretPart, StringComparison.Ordinal));
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(created.Secret))), values);
        Assert.Equal([created.Key], Keys.List("acme"));
    }

    [Fact]
    public void KeyScopedToModelsRemembersItsScope()
    {
        Organizations.Create("acme");
        var created = Keys.Create("acme", "pro", models: ["fashion", "digits", "fashion"]);

        var authenticated = Keys.Authenticate(created.Secret).Key!;
        Assert.Equal(["digits", "fashion"], authenticated.Models);
        Assert.True(authenticated.MayUse("fashion"));
        Assert.False(authenticated.MayUse("other"));
        Assert.True(Keys.Authenticate(Keys.Create("acme", "pro").Secret).Key!.MayUse("anything"));
        Assert.Contains("Model name 'Bad Name'", Assert.Throws<RegistryException>(() => Keys.Create("acme", "pro", models: ["Bad Name"])).Message, StringComparison.Ordinal);
        Assert.Throws<RegistryException>(() => Keys.Create("acme", "pro", models: []));
    }

    [Fact]
    public void KeysAreListedPerOrganization()
    {
        Organizations.Create("acme");
        Organizations.Create("other");
        var first = Keys.Create("acme", "free").Key;
        Clock.Advance(TimeSpan.FromSeconds(1));
        var second = Keys.Create("acme", "pro", Role.Viewer).Key;
        Keys.Create("other", "free");

        Assert.Equal([first, second], Keys.List("acme"));
        Assert.Equal(Role.Developer, first.Role);
        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public void KeyForAnUnknownOrganizationOrPlanIsRefused()
    {
        Organizations.Create("acme");
        Assert.Contains("No organization 'ghost'", Assert.Throws<RegistryException>(() => Keys.Create("ghost", "free")).Message);
        Assert.Contains("No plan 'gold'", Assert.Throws<RegistryException>(() => Keys.Create("acme", "gold")).Message);
        Assert.Empty(Keys.List("acme"));
    }

    [Fact]
    public void ValidKeyAuthenticatesWithItsPlan()
    {
        Organizations.Create("acme");
        var created = Keys.Create("acme", "pro");

        var result = Keys.Authenticate(created.Secret);

        Assert.Equal(AuthenticationStatus.Valid, result.Status);
        Assert.Equal(created.Key, result.Key);
        Assert.Equal(Plans.Get("pro"), result.Plan);
    }

    [Theory]
    [InlineData(null, AuthenticationStatus.Missing)]
    [InlineData("", AuthenticationStatus.Missing)]
    [InlineData("   ", AuthenticationStatus.Missing)]
    [InlineData("Bearer xyz", AuthenticationStatus.Malformed)]
    [InlineData("anvil_abc", AuthenticationStatus.Malformed)]
    [InlineData("anvil_ABCDEFGHIJKL_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", AuthenticationStatus.Malformed)]
    [InlineData("anvil_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA!", AuthenticationStatus.Malformed)]
    [InlineData("anvil_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", AuthenticationStatus.Unknown)]
    public void PresentedKeyIsClassified(string? presented, AuthenticationStatus expected)
    {
        Organizations.Create("acme");
        Keys.Create("acme", "free");

        var result = Keys.Authenticate(presented);

        Assert.Equal(expected, result.Status);
        Assert.Null(result.Key);
        Assert.Null(result.Plan);
    }

    [Fact]
    public void KnownIdWithAWrongSecretIsUnknown()
    {
        Organizations.Create("acme");
        var created = Keys.Create("acme", "free");
        var forged = created.Secret[..19] + new string(created.Secret[19] == 'A' ? 'B' : 'A', 1) + created.Secret[20..];

        Assert.Equal(AuthenticationStatus.Unknown, Keys.Authenticate(forged).Status);
        Assert.Equal(AuthenticationStatus.Valid, Keys.Authenticate(created.Secret).Status);
    }

    [Fact]
    public void KeyExpiresAtItsExpiryByTheClock()
    {
        Organizations.Create("acme");
        var created = Keys.Create("acme", "free", expiresAt: Start.AddHours(1));

        Clock.Advance(TimeSpan.FromHours(1) - TimeSpan.FromTicks(1));
        Assert.Equal(AuthenticationStatus.Valid, Keys.Authenticate(created.Secret).Status);
        Clock.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(AuthenticationStatus.Expired, Keys.Authenticate(created.Secret).Status);
        Assert.Equal(Start.AddHours(1), Keys.List("acme")[0].ExpiresAt);
    }

    [Fact]
    public void RevokedKeyIsRefusedWhetherRevokedByKeyOrById()
    {
        Organizations.Create("acme");
        var byKey = Keys.Create("acme", "free");
        var byId = Keys.Create("acme", "free");
        Clock.Advance(TimeSpan.FromMinutes(5));

        var revoked = Keys.Revoke(byKey.Secret);
        Keys.Revoke(byId.Key.Id);
        Clock.Advance(TimeSpan.FromMinutes(5));
        var again = Keys.Revoke(byId.Key.Id);

        Assert.Equal(Start.AddMinutes(5), revoked.RevokedAt);
        Assert.Equal(Start.AddMinutes(5), again.RevokedAt); // revoking twice keeps the first time
        Assert.Equal(AuthenticationStatus.Revoked, Keys.Authenticate(byKey.Secret).Status);
        Assert.Equal(AuthenticationStatus.Revoked, Keys.Authenticate(byId.Secret).Status);
    }

    [Fact]
    public void RevokingAnUnknownKeyNeverEchoesTheSecret()
    {
        Organizations.Create("acme");
        var created = Keys.Create("acme", "free");
        var other = "anvil_abcdefghijkl_" + created.Secret[19..];
        var mangled = created.Secret + "x";

        var unknown = Assert.Throws<RegistryException>(() => Keys.Revoke(other));
        var malformed = Assert.Throws<RegistryException>(() => Keys.Revoke(mangled));

        Assert.Equal("No API key has id 'abcdefghijkl'. List ids with: ./anvil keys list --org <organization>", unknown.Message);
        Assert.DoesNotContain(created.Secret[19..], malformed.Message);
        Assert.Contains("neither an API key nor a key id", malformed.Message);
        Assert.Equal(AuthenticationStatus.Valid, Keys.Authenticate(created.Secret).Status);
    }
}

public sealed class SqliteApiKeyTests() : ApiKeyTests(new SqliteBackend());

public sealed class PostgresApiKeyTests() : ApiKeyTests(new PostgresBackend());
