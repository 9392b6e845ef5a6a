using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Tests.Conformance;

public abstract class OrganizationTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    [Fact]
    public void CreatedOrganizationIsFoundByNameAndListed()
    {
        var created = Organizations.Create("acme");
        Organizations.Create("beta-labs");

        Assert.Equal(Start, created.CreatedAt);
        Assert.Equal(32, created.Id.Length);
        Assert.Equal(created, Organizations.Find("acme"));
        Assert.Equal(created, Organizations.Get("acme"));
        Assert.Equal(["acme", "beta-labs"], Organizations.List().Select(o => o.Name));
    }

    [Fact]
    public void DuplicateOrganizationNameIsRefusedWithAClearMessage()
    {
        Organizations.Create("acme");

        var error = Assert.Throws<RegistryException>(() => Organizations.Create("acme"));

        Assert.Contains("Organization 'acme' already exists", error.Message);
        Assert.Single(Organizations.List());
    }

    [Theory]
    [InlineData("A")]
    [InlineData("a")]
    [InlineData("-acme")]
    [InlineData("Acme")]
    [InlineData("acme labs")]
    [InlineData("acme\n")]
    [InlineData("a2345678901234567890123456789012345678901")] // 41 characters
    public void BadOrganizationNameIsRefusedWithTheRule(string name)
    {
        var error = Assert.Throws<RegistryException>(() => Organizations.Create(name));

        Assert.Contains("2 to 40 characters of a-z, 0-9 and '-'", error.Message);
        Assert.Empty(Organizations.List());
    }

    [Fact]
    public void MissingOrganizationSaysHowToCreateIt()
    {
        Assert.Null(Organizations.Find("ghost"));
        var error = Assert.Throws<RegistryException>(() => Organizations.Get("ghost"));
        Assert.Equal("No organization 'ghost'. Create it with: ./anvil orgs create ghost", error.Message);
    }

    [Fact]
    public void MembersAreAddedWithARoleUpdatedAndRemoved()
    {
        var acme = Organizations.Create("acme");
        Organizations.Create("other");

        var ada = Organizations.AddMember("acme", "Ada@Example.com", Role.Owner);
        Organizations.AddMember("acme", "bob@example.com", Role.Viewer);
        Clock.Advance(TimeSpan.FromHours(1));
        var promoted = Organizations.AddMember("acme", "bob@example.com", Role.Developer);

        Assert.Equal(new Member(acme.Id, "ada@example.com", Role.Owner, Start), ada);
        Assert.Equal(Role.Developer, promoted.Role);
        Assert.Equal(Start, promoted.AddedAt); // an upsert keeps when they joined
        Assert.Equal(
            [("ada@example.com", Role.Owner), ("bob@example.com", Role.Developer)],
            Organizations.Members("acme").Select(m => (m.Email, m.Role)));
        Assert.Empty(Organizations.Members("other"));

        Assert.True(Organizations.RemoveMember("acme", "BOB@example.com"));
        Assert.False(Organizations.RemoveMember("acme", "bob@example.com"));
        Assert.Equal(["ada@example.com"], Organizations.Members("acme").Select(m => m.Email));
    }

    [Fact]
    public void MemberOfAMissingOrganizationOrWithABadEmailIsRefused()
    {
        Organizations.Create("acme");

        Assert.Contains("No organization 'ghost'", Assert.Throws<RegistryException>(
            () => Organizations.AddMember("ghost", "ada@example.com", Role.Owner)).Message);
        Assert.Contains("is not an e-mail address", Assert.Throws<RegistryException>(
            () => Organizations.AddMember("acme", "ada.example.com", Role.Owner)).Message);
    }
}

public sealed class SqliteOrganizationTests() : OrganizationTests(new SqliteBackend());

public sealed class PostgresOrganizationTests() : OrganizationTests(new PostgresBackend());
