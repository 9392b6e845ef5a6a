using Anvil.Registry.Models;

namespace Anvil.Registry.Tests.Conformance;

public abstract class ModelCatalogTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    [Fact]
    public void VersionsAreNumberedOneTwoThreeAndKeepWhatWasRegistered()
    {
        var acme = Organizations.Create("acme");

        var first = Models.AddVersion(acme.Id, "fashion-cnn", "/models/a", "sha256:aa", "run1");
        Clock.Advance(TimeSpan.FromMinutes(1));
        var second = Models.AddVersion(acme.Id, "fashion-cnn", "/models/b", "sha256:bb", null);
        var third = Models.AddVersion(acme.Id, "fashion-cnn", "/models/c", "sha256:cc", "run3");

        Assert.Equal([1, 2, 3], new[] { first, second, third }.Select(v => v.Version));
        Assert.Equal(new ModelVersion(first.ModelId, acme.Id, "fashion-cnn", 1, "/models/a", "sha256:aa", "run1", Start), first);
        Assert.Null(second.RunId);
        Assert.Equal(first.ModelId, third.ModelId);
        Assert.Equal([first, second, third], Models.Versions(acme.Id, "fashion-cnn"));
        Assert.Equal(second, Models.FindVersion(acme.Id, "fashion-cnn", 2));
        Assert.Null(Models.FindVersion(acme.Id, "fashion-cnn", 4));
        var model = Models.Find(acme.Id, "fashion-cnn")!;
        Assert.Equal((first.ModelId, "fashion-cnn", Start, 3), (model.Id, model.Name, model.CreatedAt, model.LatestVersion));
    }

    [Fact]
    public void ModelsAreNumberedIndependentlyAndListedByName()
    {
        var acme = Organizations.Create("acme");
        Models.AddVersion(acme.Id, "zeta", "/z1", "d", null);
        Models.AddVersion(acme.Id, "alpha.v2", "/a1", "d", null);
        Models.AddVersion(acme.Id, "zeta", "/z2", "d", null);

        Assert.Equal([("alpha.v2", 1), ("zeta", 2)], Models.List(acme.Id).Select(m => (m.Name, m.LatestVersion)));
    }

    [Theory]
    [InlineData("Fashion")]
    [InlineData("-cnn")]
    [InlineData("a/b")]
    [InlineData("")]
    public void BadModelNameIsRefused(string name)
    {
        var acme = Organizations.Create("acme");
        Assert.Throws<RegistryException>(() => Models.AddVersion(acme.Id, name, "/m", "d", null));
        Assert.Empty(Models.List(acme.Id));
    }

    [Fact]
    public void VersionForAnUnknownOrganizationIsRefused()
    {
        var error = Assert.Throws<RegistryException>(() => Models.AddVersion("nope", "cnn", "/m", "d", null));
        Assert.Contains("No organization has id 'nope'", error.Message);
    }

    [Fact]
    public void AliasesAreSetMovedResolvedAndRemoved()
    {
        var acme = Organizations.Create("acme");
        var v1 = Models.AddVersion(acme.Id, "cnn", "/1", "d1", null);
        var v2 = Models.AddVersion(acme.Id, "cnn", "/2", "d2", null);

        Models.SetAlias(acme.Id, "cnn", "champion", 1);
        Models.SetAlias(acme.Id, "cnn", "challenger", 2);
        Assert.Equal(v1, Models.Resolve(acme.Id, "cnn", "champion"));

        Models.SetAlias(acme.Id, "cnn", "champion", 2);
        Assert.Equal(v2, Models.Resolve(acme.Id, "cnn", "champion"));
        Assert.Equal(new Dictionary<string, int> { ["challenger"] = 2, ["champion"] = 2 }, Models.Find(acme.Id, "cnn")!.Aliases);

        Assert.True(Models.RemoveAlias(acme.Id, "cnn", "challenger"));
        Assert.False(Models.RemoveAlias(acme.Id, "cnn", "challenger"));
        Assert.Null(Models.Resolve(acme.Id, "cnn", "challenger"));
        Assert.Equal(["champion"], Models.Find(acme.Id, "cnn")!.Aliases.Keys);
    }

    [Fact]
    public void AliasToAnUnknownModelOrVersionOrWithABadNameIsRefused()
    {
        var acme = Organizations.Create("acme");
        Models.AddVersion(acme.Id, "cnn", "/1", "d1", null);

        Assert.Contains("has no version 5; its versions are 1", Assert.Throws<RegistryException>(
            () => Models.SetAlias(acme.Id, "cnn", "champion", 5)).Message);
        Assert.Contains("No model 'rnn'", Assert.Throws<RegistryException>(
            () => Models.SetAlias(acme.Id, "rnn", "champion", 1)).Message);
        Assert.Contains("Alias 'Champion' is not allowed", Assert.Throws<RegistryException>(
            () => Models.SetAlias(acme.Id, "cnn", "Champion", 1)).Message);
        Assert.Empty(Models.Find(acme.Id, "cnn")!.Aliases);
    }

    [Fact]
    public void AllAliasesListsEveryOrganizationsAliasesWithTheirVersions()
    {
        var acme = Organizations.Create("acme");
        var beta = Organizations.Create("beta");
        Models.AddVersion(acme.Id, "cnn", "/a1", "d", null);
        var acme2 = Models.AddVersion(acme.Id, "cnn", "/a2", "d", null);
        var beta1 = Models.AddVersion(beta.Id, "cnn", "/b1", "d", null);
        Models.SetAlias(acme.Id, "cnn", "champion", 2);
        Models.SetAlias(beta.Id, "cnn", "champion", 1);
        Models.SetAlias(beta.Id, "cnn", "challenger", 1);

        var all = Models.AllAliases();

        Assert.Equal(3, all.Count);
        Assert.Contains(new AliasTarget(acme.Id, "cnn", "champion", acme2), all);
        Assert.Contains(new AliasTarget(beta.Id, "cnn", "champion", beta1), all);
        Assert.Contains(new AliasTarget(beta.Id, "cnn", "challenger", beta1), all);
    }

    [Fact]
    public void AnotherOrganizationCannotSeeOrAliasAModel()
    {
        var acme = Organizations.Create("acme");
        var other = Organizations.Create("other");
        Models.AddVersion(acme.Id, "cnn", "/1", "d", null);
        Models.SetAlias(acme.Id, "cnn", "champion", 1);

        Assert.Null(Models.Find(other.Id, "cnn"));
        Assert.Empty(Models.List(other.Id));
        Assert.Empty(Models.Versions(other.Id, "cnn"));
        Assert.Null(Models.FindVersion(other.Id, "cnn", 1));
        Assert.Null(Models.Resolve(other.Id, "cnn", "champion"));
        Assert.False(Models.RemoveAlias(other.Id, "cnn", "champion"));
        Assert.Throws<RegistryException>(() => Models.SetAlias(other.Id, "cnn", "champion", 1));
        Assert.Equal(1, Models.Find(acme.Id, "cnn")!.Aliases["champion"]);
    }

    [Fact]
    public void ConcurrentRegistrationsGetDistinctConsecutiveVersions()
    {
        var acme = Organizations.Create("acme");
        var replicas = Enumerable.Range(0, 3).Select(_ => new ModelCatalog(Backend.OpenReplica(Clock), Clock)).ToList();

        var versions = Enumerable.Range(0, 12).AsParallel().WithDegreeOfParallelism(6)
            .Select(i => replicas[i % replicas.Count].AddVersion(acme.Id, "cnn", $"/m{i}", "d", null).Version)
            .ToList();

        Assert.Equal(Enumerable.Range(1, 12), versions.Order());
        Assert.Equal(12, Models.Find(acme.Id, "cnn")!.LatestVersion);
    }

    [Fact]
    public void NameOrAliasWithNulReadsAsMissing()
    {
        var acme = Organizations.Create("acme");
        Models.AddVersion(acme.Id, "cnn", "/models/a", "sha256:aa", null);
        Models.SetAlias(acme.Id, "cnn", "champion", 1);

        Assert.Null(Models.Resolve(acme.Id, "cnn", "\0"));
        Assert.Null(Models.Resolve(acme.Id, "cnn\0", "champion"));
        Assert.Null(Models.Find(acme.Id, "cnn\0"));
        Assert.Null(Models.FindVersion(acme.Id, "\0", 1));
        Assert.Empty(Models.Versions(acme.Id, "cnn\0"));
        Assert.False(Models.RemoveAlias(acme.Id, "cnn", "champion\0"));
        Assert.Equal(1, Models.Resolve(acme.Id, "cnn", "champion")!.Version);
    }

    [Fact]
    public void TextWithNulIsAClearRegistryErrorOnBothDatabases()
    {
        var error = Assert.Throws<RegistryException>(() => Organizations.Find("acme\0"));
        Assert.Contains("NUL character", error.Message, StringComparison.Ordinal);
    }
}

public sealed class SqliteModelCatalogTests() : ModelCatalogTests(new SqliteBackend());

public sealed class PostgresModelCatalogTests() : ModelCatalogTests(new PostgresBackend());
