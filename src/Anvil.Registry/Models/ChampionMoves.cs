using Anvil.Registry.Storage;

namespace Anvil.Registry.Models;

/// <summary>
/// Moving a model's <see cref="Champion"/>: promotion keeps the version it replaces as <see cref="Previous"/>,
/// and a rollback swaps the two back. Each move is one transaction, so a server polling the aliases sees the
/// old pair or the new one, never a champion without its previous.
/// </summary>
public sealed class ChampionMoves(RegistryDatabase db, TimeProvider time)
{
    public const string Champion = "champion";
    public const string Previous = "previous";
    public const string Challenger = "challenger";

    /// <summary>Points champion at <paramref name="version"/> and previous at the champion it replaces. Returns the replaced version number.</summary>
    public int Promote(string organizationId, string name, int version)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(name);
        return db.Write(session =>
        {
            var target = ModelCatalog.FindVersion(session, organizationId, name, version)
                ?? throw new RegistryException($"Model '{name}' has no version {version} in this organization; ./anvil models show {name} --org <organization> lists its versions.");
            var champion = ModelCatalog.ResolveIn(session, organizationId, name, Champion)
                ?? throw new RegistryException($"Model '{name}' has no champion to replace; point one with ./anvil models alias {name} champion <version>.");
            if (champion.Version == version)
                throw new RegistryException($"Version {version} of '{name}' is already the champion.");
            ModelCatalog.PointAlias(session, champion, Previous, time);
            ModelCatalog.PointAlias(session, target, Champion, time);
            return champion.Version;
        });
    }

    /// <summary>Swaps champion and previous: the champion goes back to the version it replaced. Returns (now champion, now previous).</summary>
    public (int Champion, int Previous) Rollback(string organizationId, string name)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(name);
        return db.Write(session =>
        {
            var champion = ModelCatalog.ResolveIn(session, organizationId, name, Champion)
                ?? throw new RegistryException($"Organization has no model '{name}' with a champion; ./anvil models list --org <organization> lists them.");
            var previous = ModelCatalog.ResolveIn(session, organizationId, name, Previous)
                ?? throw new RegistryException($"Model '{name}' has no previous champion to roll back to: only a promotion (./anvil retrain --promote) sets one.");
            ModelCatalog.PointAlias(session, previous, Champion, time);
            ModelCatalog.PointAlias(session, champion, Previous, time);
            return (previous.Version, champion.Version);
        });
    }
}
