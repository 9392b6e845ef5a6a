using Anvil.Registry;
using Anvil.Registry.Predictions;

namespace Anvil.Cli.Commands;

/// <summary>
/// The registry the commands work on: <c>$ANVIL_HOME/registry.db</c>, or PostgreSQL when
/// <c>ANVIL_DATABASE_URL</c> holds a connection string. Opened on first use, once per process.
/// </summary>
internal sealed class Registries : IDisposable
{
    private readonly Lazy<RegistryDatabase> _database = new(() => RegistryDatabase.OpenDefault(TimeProvider.System));

    public AnvilHome Home { get; } = AnvilHome.Resolve();

    public RegistryDatabase Database => _database.Value;

    public TimeProvider Time => TimeProvider.System;

    public Organizations Organizations => new(Database);

    public ApiKeys Keys => new(Database, Time);

    public Plans Plans => new(Database);

    public ModelCatalog Catalog => new(Database, Time);

    public UsageLedger Ledger => new(Database, Time);

    public PredictionLog PredictionLog => new(Database, Time);

    public void Dispose()
    {
        if (_database.IsValueCreated)
            _database.Value.Dispose();
    }
}
