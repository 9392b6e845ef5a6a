using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>The committed OpenAPI document is the one the server serves. ANVIL_WRITE_OPENAPI=1 rewrites it.</summary>
public sealed class OpenApiTests
{
    [Fact]
    public async Task CommittedDocumentMatchesTheServer()
    {
        await using var host = await ServingHost.StartAsync();
        using var client = host.Client();
        var served = (await client.GetStringAsync(ServingApp.OpenApiPath)).ReplaceLineEndings("\n").TrimEnd() + "\n";
        Assert.Contains("/v1/models/{name}/predict", served, StringComparison.Ordinal);
        var committed = Path.Combine(RepositoryRoot(), "docs", "openapi.json");
        if (Environment.GetEnvironmentVariable("ANVIL_WRITE_OPENAPI") == "1")
            await File.WriteAllTextAsync(committed, served);
        Assert.True(File.Exists(committed), "docs/openapi.json is missing; run the tests once with ANVIL_WRITE_OPENAPI=1");
        Assert.Equal((await File.ReadAllTextAsync(committed)).ReplaceLineEndings("\n"), served);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Anvil.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Anvil.sln not found above the test directory.");
    }
}
