using System.Collections.Concurrent;
using Anvil.Registry;
using Anvil.Registry.Versions;
using Anvil.Serving.Inputs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Anvil.Serving.Inference;

/// <summary>
/// Finds the loaded model for a request and follows aliases. Versions are loaded on their first request,
/// within <see cref="ServingOptions.MaxLoadedVersions"/> and <see cref="ServingOptions.MaxLoadedVersionsPerOrganization"/>
/// (least recently used first out). Once a second it reads every alias from the catalog; a moved alias
/// whose old version is loaded has its new version loaded, verified and warmed up before the alias
/// points at it, and the old version is retired after its last request — a hot swap with no restart and
/// no failed request.
/// </summary>
public sealed partial class ModelRouter(
    ModelCatalog catalog,
    ManifestSigner verifier,
    ServingOptions options,
    TimeProvider time,
    ILogger<ModelRouter> logger) : BackgroundService
{
    public const string DefaultAlias = ChampionMoves.Champion;

    private readonly LoadedVersions _loaded = new(options.MaxLoadedVersions, options.MaxLoadedVersionsPerOrganization);
    private readonly ConcurrentDictionary<(string Organization, string Model, int Version), ModelVersion> _versions = new();
    /// <summary>How long a version that failed verification is refused before its files are hashed again.</summary>
    public static readonly TimeSpan RefusalBackoff = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, VerifiedModelVersion> _verified = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string Reason, DateTimeOffset RetryAt)> _refused = new(StringComparer.Ordinal);
    private volatile Dictionary<(string Organization, string Model, string Alias), ModelVersion> _aliases = [];

    /// <summary>
    /// A lease on the version a request asked for: <paramref name="version"/> when given, else
    /// <paramref name="alias"/> (default <c>champion</c>), else — with no alias set — the latest version.
    /// Null when the caller's organization has no such model, alias or version.
    /// </summary>
    public ModelLease? Acquire(string organizationId, string modelName, string? alias, int? version)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var target = FindVersion(organizationId, modelName, alias, version);
            if (target is null)
                return null;
            var lease = _loaded.Acquire(target, Open, Traffic, time.GetUtcNow());
            if (lease is not null)
                return lease;
            // retired between lookup and lease: the alias has moved on; look again
        }

        throw new InvalidOperationException($"Model '{modelName}' is being swapped too often to serve; try again.");
    }

    /// <summary>Models loaded right now (for the metrics page).</summary>
    public IEnumerable<LoadedModel> LoadedModels => _loaded.Models;

    /// <summary>Requests and samples per caller's organization, model and version (for the metrics page).</summary>
    public TenantTraffic Traffic { get; } = new();

    /// <summary>
    /// The manifest of any version of the caller's models, verified once per digest — without an
    /// ONNX Runtime session, so listing models never loads them.
    /// </summary>
    public ModelManifest Manifest(ModelVersion version) => Verified(version).Manifest;

    private VerifiedModelVersion Verified(ModelVersion version)
    {
        // Per directory, not per digest: each organization's copy is sealed under its own key (EncryptedVersions).
        var directory = version.Directory;
        if (_verified.TryGetValue(directory, out var known))
            return known;
        var now = time.GetUtcNow();
        if (_refused.TryGetValue(directory, out var refused) && now < refused.RetryAt)
            throw new RegistryException(refused.Reason); // a broken version is not re-hashed on every request
        try
        {
            var files = catalog.OpenFiles(version, verifier);
            _refused.TryRemove(directory, out _);
            _verified[directory] = files;
            return files;
        }
        catch (RegistryException e)
        {
            _refused[directory] = (e.Message, now + RefusalBackoff);
            if (refused.Reason != e.Message)
                LogRefused(version.ModelName, version.Version, e.Message); // once per digest and reason, aliased or asked for by ?version=
            throw;
        }
    }

    /// <summary>A version of the organization's model. Versions never change once registered, so found ones are kept.</summary>
    public ModelVersion? Version(string organizationId, string modelName, int version)
    {
        if (_versions.TryGetValue((organizationId, modelName, version), out var known))
            return known;
        var found = catalog.FindVersion(organizationId, modelName, version);
        if (found is not null)
            _versions[(organizationId, modelName, version)] = found;
        return found;
    }

    private ModelVersion? FindVersion(string organizationId, string modelName, string? alias, int? version)
    {
        if (version is int number)
            return Version(organizationId, modelName, number);
        var name = alias ?? DefaultAlias;
        if (_aliases.TryGetValue((organizationId, modelName, name), out var aliased))
            return aliased;
        var resolved = catalog.Resolve(organizationId, modelName, name); // set since the last poll
        if (resolved is not null || alias is not null)
            return resolved;
        var model = catalog.Find(organizationId, modelName);
        return model is null || model.LatestVersion == 0 ? null : Version(organizationId, modelName, model.LatestVersion);
    }

    private LoadedModel Open(ModelVersion version)
    {
        var model = new LoadedModel(version, Verified(version), options.Batching, options.InferenceThreads);
        LogLoaded(version.ModelName, version.Version, version.ManifestDigest);
        return model;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.AliasPollInterval, time);
        do
        {
            try
            {
                Refresh();
            }
#pragma warning disable CA1031 // a failed poll (database briefly locked, a refused version) must not stop serving
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogRefreshFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Reads every alias and verifies the versions they point at; where an alias moved away from a loaded
    /// version, loads the new one first. Then switches, and retires versions idle for too long.
    /// </summary>
    public void Refresh()
    {
        var next = new Dictionary<(string, string, string), ModelVersion>();
        foreach (var target in catalog.AllAliases())
        {
            var key = (target.OrganizationId, target.ModelName, target.Alias);
            var previous = _aliases.GetValueOrDefault(key);
            try
            {
                Verified(target.Version); // hashed once per directory; a broken version never replaces a working one
                if (previous is not null && previous.ManifestDigest != target.Version.ManifestDigest && _loaded.Contains(previous.ManifestDigest))
                    _loaded.Acquire(target.Version, Open, Traffic, time.GetUtcNow())?.Dispose(); // in use: requests never wait for the new version's load
                next[key] = target.Version;
            }
            catch (Exception e) when (e is RegistryException or InputException)
            {
                // refused (logged once by Verified) or no room under the caps right now: keep serving the old one, try again next poll
                if (previous is not null)
                    next[key] = previous;
            }
        }

        _aliases = next;
        _loaded.RetireIdle(next.Values.Select(v => v.ManifestDigest).ToHashSet(StringComparer.Ordinal), time.GetUtcNow() - options.IdleVersionLifetime);
    }

    public override void Dispose()
    {
        _loaded.RetireAll();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded model {Model} version {Version} ({Digest})")]
    private partial void LogLoaded(string model, int version, string digest);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused model {Model} version {Version} until its files verify (checked again every 60 s): {Reason}")]
    private partial void LogRefused(string model, int version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Alias refresh failed; serving continues with the previous aliases")]
    private partial void LogRefreshFailed(Exception e);
}
