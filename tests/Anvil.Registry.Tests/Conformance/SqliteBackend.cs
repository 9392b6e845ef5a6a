using Anvil.Registry.Storage;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>A registry file in a temp directory of its own.</summary>
public sealed class SqliteBackend : RegistryBackend
{
    private readonly TempDirectory _temp = new();

    public override string Name => "sqlite";

    public string DatabasePath => Path.Combine(_temp.Path, "registry.db");

    protected override RegistryOptions Options => new(DatabasePath);

    protected override void DropStorage() => _temp.Dispose();
}
