using Anvil.Registry.Models;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>Promotion keeps the replaced champion as previous; a rollback swaps them back; another organization sees nothing.</summary>
public abstract class ChampionMovesTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private ChampionMoves Moves => new(Db, Clock);

    [Fact]
    public void PromoteKeepsPreviousAndRollbackSwapsBack()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var org = acme.Organization.Id;
        Models.AddVersion(org, "cnn", "/models/cnn-2", "sha256:m2", null);

        Assert.Equal(1, Moves.Promote(org, "cnn", 2));
        Assert.Equal(2, Models.Resolve(org, "cnn", ChampionMoves.Champion)!.Version);
        Assert.Equal(1, Models.Resolve(org, "cnn", ChampionMoves.Previous)!.Version);

        Assert.Equal((1, 2), Moves.Rollback(org, "cnn"));
        Assert.Equal(1, Models.Resolve(org, "cnn", ChampionMoves.Champion)!.Version);
        Assert.Equal(2, Models.Resolve(org, "cnn", ChampionMoves.Previous)!.Version);
        Assert.Contains("already the champion", Assert.Throws<RegistryException>(() => Moves.Promote(org, "cnn", 1)).Message, StringComparison.Ordinal);
        Assert.Contains("no version 9", Assert.Throws<RegistryException>(() => Moves.Promote(org, "cnn", 9)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RollbackWithoutAPromotionOrOfAnotherOrganizationsModelIsRefused()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var beta = NewCustomer("beta", Plans.Get("pro"), model: "other");
        Models.AddVersion(acme.Organization.Id, "cnn", "/models/cnn-2", "sha256:m2", null);

        Assert.Contains("no previous champion", Assert.Throws<RegistryException>(() => Moves.Rollback(acme.Organization.Id, "cnn")).Message, StringComparison.Ordinal);
        Assert.Throws<RegistryException>(() => Moves.Promote(beta.Organization.Id, "cnn", 2));
        Assert.Throws<RegistryException>(() => Moves.Rollback(beta.Organization.Id, "cnn"));
        Assert.Equal(1, Models.Resolve(acme.Organization.Id, "cnn", ChampionMoves.Champion)!.Version);
    }
}

public sealed class SqliteChampionMovesTests() : ChampionMovesTests(new SqliteBackend());

public sealed class PostgresChampionMovesTests() : ChampionMovesTests(new PostgresBackend());
