using System.Data.Common;
using Anvil.Registry.Encryption;
using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;
using Anvil.Registry.Versions;

namespace Anvil.Registry.Models;

/// <summary>
/// Registered models, their immutable numbered versions and movable aliases, per organization. A model of
/// another organization is invisible: it reads as missing.
/// </summary>
public sealed class ModelCatalog(RegistryDatabase db, TimeProvider time)
{
    private const string VersionColumns =
        "v.model_id, m.organization_id, m.name, v.version, v.directory, v.manifest_digest, v.run_id, v.created_at";

    private const string VersionsOfModels = "model_versions v JOIN registered_models m ON m.id = v.model_id";

    private const string AliasedVersions =
        "model_aliases a JOIN model_versions v ON v.model_id = a.model_id AND v.version = a.version " +
        "JOIN registered_models m ON m.id = v.model_id";

    /// <summary>The keys that seal and open <paramref name="organizationId"/>'s model version files.</summary>
    public ModelFileKeys FileKeys(string organizationId) => new(db, organizationId);

    /// <summary>
    /// Opens <paramref name="version"/>'s files and checks them (<see cref="ModelVersionFiles.Open"/>), decrypting those
    /// sealed under its organization's data key.
    /// </summary>
    public VerifiedModelVersion OpenFiles(ModelVersion version, ManifestSigner verifier)
    {
        ArgumentNullException.ThrowIfNull(version);
        return ModelVersionFiles.Open(version.Directory, verifier, version.ManifestDigest, FileKeys(version.OrganizationId));
    }

    /// <summary>
    /// Registers <paramref name="directory"/> as the next version of <paramref name="modelName"/> (1 for a new
    /// model). Concurrent registrations get distinct, consecutive numbers.
    /// </summary>
    public ModelVersion AddVersion(string organizationId, string modelName, string directory, string manifestDigest, string? runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(organizationId);
        ModelNames.RequireModel(modelName);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestDigest);
        var now = TimeText.From(time.GetUtcNow());
        return db.Write(session =>
        {
            _ = Organizations.RequireActive(Organizations.FindById(session, organizationId)
                ?? throw new RegistryException($"No organization has id '{organizationId}'. List organizations with: ./anvil orgs list"));
            session.Execute(
                "INSERT INTO registered_models (id, organization_id, name, latest_version, created_at) " +
                "VALUES (@id, @org, @name, 0, @now) ON CONFLICT (organization_id, name) DO NOTHING",
                ("@id", Ids.New(time)), ("@org", organizationId), ("@name", modelName), ("@now", now));
            // The row lock taken here makes a concurrent registration wait, then read the committed number.
            var (modelId, version) = session.Query(
                "UPDATE registered_models SET latest_version = latest_version + 1 " +
                "WHERE organization_id = @org AND name = @name RETURNING id, latest_version",
                reader => (reader.GetString(0), reader.GetInt(1)),
                ("@org", organizationId), ("@name", modelName)).Single();
            session.Execute(
                "INSERT INTO model_versions (model_id, version, directory, manifest_digest, run_id, created_at) " +
                "VALUES (@model, @version, @directory, @digest, @run, @now)",
                ("@model", modelId), ("@version", (long)version), ("@directory", directory), ("@digest", manifestDigest),
                ("@run", runId), ("@now", now));
            return FindVersion(session, organizationId, modelName, version)!;
        });
    }

    public IReadOnlyList<RegisteredModel> List(string organizationId)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        return db.Read(session => LoadModels(session, "m.organization_id = @org", ("@org", organizationId)));
    }

    public RegisteredModel? Find(string organizationId, string name)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(name);
        if (Unstorable(name))
            return null;
        return db.Read(session =>
            LoadModels(session, "m.organization_id = @org AND m.name = @name", ("@org", organizationId), ("@name", name)) is [var model]
                ? model
                : null);
    }

    /// <summary>All versions of a model, oldest first; empty for a model this organization does not have.</summary>
    public IReadOnlyList<ModelVersion> Versions(string organizationId, string name)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(name);
        if (Unstorable(name))
            return [];
        return db.Read(session => session.Query(
            $"SELECT {VersionColumns} FROM {VersionsOfModels} WHERE m.organization_id = @org AND m.name = @name ORDER BY v.version",
            ReadVersion, ("@org", organizationId), ("@name", name)));
    }

    public ModelVersion? FindVersion(string organizationId, string name, int version)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(name);
        return Unstorable(name) ? null : db.Read(session => FindVersion(session, organizationId, name, version));
    }

    /// <summary>Points <paramref name="alias"/> at <paramref name="version"/>, creating or moving it.</summary>
    public void SetAlias(string organizationId, string name, string alias, int version)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(name);
        ModelNames.RequireAlias(alias);
        db.Write(session =>
        {
            var target = FindVersion(session, organizationId, name, version) ?? throw MissingVersion(session, organizationId, name, version);
            return PointAlias(session, target, alias, time);
        });
    }

    internal static int PointAlias(Session session, ModelVersion target, string alias, TimeProvider time) => session.Execute(
        "INSERT INTO model_aliases (model_id, alias, version, updated_at) VALUES (@model, @alias, @version, @now) " +
        "ON CONFLICT (model_id, alias) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at",
        ("@model", target.ModelId), ("@alias", alias), ("@version", (long)target.Version), ("@now", TimeText.From(time.GetUtcNow())));

    internal static ModelVersion? ResolveIn(Session session, string organizationId, string name, string alias) => session.QuerySingle(
        $"SELECT {VersionColumns} FROM {AliasedVersions} WHERE m.organization_id = @org AND m.name = @name AND a.alias = @alias",
        ReadVersion, ("@org", organizationId), ("@name", name), ("@alias", alias));

    /// <summary>False when the model had no such alias.</summary>
    public bool RemoveAlias(string organizationId, string name, string alias)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(alias);
        if (Unstorable(name) || Unstorable(alias))
            return false;
        return db.Write(session => session.Execute(
            "DELETE FROM model_aliases WHERE alias = @alias AND model_id IN " +
            "(SELECT id FROM registered_models WHERE organization_id = @org AND name = @name)",
            ("@alias", alias), ("@org", organizationId), ("@name", name)) > 0);
    }

    /// <summary>The version <paramref name="alias"/> points at, or null.</summary>
    public ModelVersion? Resolve(string organizationId, string name, string alias)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(alias);
        if (Unstorable(name) || Unstorable(alias))
            return null;
        return db.Read(session => ResolveIn(session, organizationId, name, alias));
    }

    /// <summary>Every alias of every organization in one query: what the server polls to hot-swap models.</summary>
    public IReadOnlyList<AliasTarget> AllAliases() => db.Read(session => session.Query(
        $"SELECT {VersionColumns}, a.alias FROM {AliasedVersions} " +
        "ORDER BY m.organization_id, m.name, a.alias",
        reader =>
        {
            var version = ReadVersion(reader);
            return new AliasTarget(version.OrganizationId, version.ModelName, reader.GetString(8), version);
        }));

    internal static ModelVersion? FindVersion(Session session, string organizationId, string name, int version) => session.QuerySingle(
        $"SELECT {VersionColumns} FROM {VersionsOfModels} WHERE m.organization_id = @org AND m.name = @name AND v.version = @version",
        ReadVersion, ("@org", organizationId), ("@name", name), ("@version", (long)version));

    // Names and aliases are checked when created, so one with NUL names nothing; PostgreSQL would
    // refuse even to compare it (SQLSTATE 22021), so it reads as missing on both databases.
    private static bool Unstorable(string text) => text.Contains('\0', StringComparison.Ordinal);

    private static RegistryException MissingVersion(Session session, string organizationId, string name, int version)
    {
        var versions = session.Query(
            $"SELECT v.version FROM {VersionsOfModels} WHERE m.organization_id = @org AND m.name = @name ORDER BY v.version",
            reader => reader.GetInt(0), ("@org", organizationId), ("@name", name));
        return versions.Count == 0
            ? new RegistryException($"No model '{name}' in this organization. Register a version first with: ./anvil register <run> --name {name} --org <organization>")
            : new RegistryException($"Model '{name}' has no version {version}; its versions are {string.Join(", ", versions)}.");
    }

    private static List<RegisteredModel> LoadModels(Session session, string where, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var aliases = session.Query(
            $"SELECT a.model_id, a.alias, a.version FROM model_aliases a JOIN registered_models m ON m.id = a.model_id WHERE {where}",
            reader => (ModelId: reader.GetString(0), Alias: reader.GetString(1), Version: reader.GetInt(2)), parameters)
            .ToLookup(row => row.ModelId);
        return session.Query(
            $"SELECT m.id, m.organization_id, m.name, m.created_at, m.latest_version FROM registered_models m WHERE {where} ORDER BY m.name",
            reader => new RegisteredModel(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetTime(3), reader.GetInt(4),
                aliases[reader.GetString(0)].OrderBy(a => a.Alias, StringComparer.Ordinal).ToDictionary(a => a.Alias, a => a.Version)),
            parameters);
    }

    private static ModelVersion ReadVersion(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt(3), reader.GetString(4),
        reader.GetString(5), reader.GetNullableString(6), reader.GetTime(7));
}
