using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Tests.Conformance;

public abstract class PlanTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    [Fact]
    public void FreeProAndEnterpriseAreSeeded()
    {
        Assert.Equal(new Plan("free", 60, 1_000, 0) { MaxInputsPerRequest = 32 }, Plans.Get("free"));
        Assert.Equal(new Plan("pro", 600, 100_000, 500_000) { MaxInputsPerRequest = 256 }, Plans.Get("pro"));
        Assert.Equal(new Plan("enterprise", 6_000, 10_000_000, 200_000), Plans.Get("enterprise"));
        Assert.Equal(["pro", "enterprise", "free"], Plans.List().Select(p => p.Name));
    }

    [Fact]
    public void UnknownPlanIsRefusedListingThePlans()
    {
        var error = Assert.Throws<RegistryException>(() => Plans.Get("gold"));
        Assert.Equal("No plan 'gold'. Choose one of: enterprise, free, pro.", error.Message);
    }

    [Fact]
    public void SavedPlanIsCreatedThenUpdated()
    {
        Plans.Save(new Plan("startup", 120, 5_000, 750_000));
        Plans.Save(new Plan("startup", 240, 10_000, 700_000));
        Plans.Save(new Plan("free", 30, 500, 0));

        Assert.Equal(new Plan("startup", 240, 10_000, 700_000), Plans.Get("startup"));
        Assert.Equal(new Plan("free", 30, 500, 0), Plans.Get("free"));
        Assert.Equal(4, Plans.List().Count);
    }

    [Fact]
    public void PlanWithoutPositiveLimitsIsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Plans.Save(new Plan("bad", 0, 10, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Plans.Save(new Plan("bad", 10, 0, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Plans.Save(new Plan("bad", 10, 10, -1)));
        Assert.Throws<RegistryException>(() => Plans.Save(new Plan("Bad Name", 10, 10, 0)));
        Assert.Equal(3, Plans.List().Count);
    }
}

public sealed class SqlitePlanTests() : PlanTests(new SqliteBackend());

public sealed class PostgresPlanTests() : PlanTests(new PostgresBackend());
