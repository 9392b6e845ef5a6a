using Anvil.Export;
using Anvil.Registry;
using Anvil.Registry.Models;
using Anvil.Registry.Versions;
using Anvil.Training.Compression;
using Anvil.Training.Runs;

namespace Anvil.Cli.Commands;

/// <summary>
/// <c>compress --model NAME --org ORG</c>: quantises a registered version's verified model.onnx, calibrating on the
/// training data of the run it was registered from, and registers the int8 graph as the model's next version with
/// its lineage (<see cref="ModelSource"/>) in the signed manifest. No alias moves unless <c>--alias-to</c> names one.
/// </summary>
internal static class CompressVersion
{
    /// <summary>What was registered and both graphs' figures.</summary>
    public sealed record Result(ModelVersion Source, ModelVersion Compressed, string Method, CompressMeasurement SourceFigures, CompressMeasurement CompressedFigures);

    /// <summary>The version to compress: <c>Version</c>, else <c>Alias</c>, else the champion.</summary>
    public sealed record Selector(string OrganizationId, string OrganizationName, string Model, string? Alias, int? Version);

    public static Result Compress(Registries registries, IRunRecorder recorder, Selector selector, string method, int calibration, string? aliasTo, TextWriter progress)
    {
        var catalog = registries.Catalog;
        var source = Find(catalog, selector);
        using var signer = ManifestSigner.OpenOrCreate(registries.Home);
        var verified = catalog.OpenFiles(source, signer);
        var subject = $"Model '{source.ModelName}' version {source.Version}";
        if (verified.Manifest.Source is { } earlier && !CompressPrune.Prunes(earlier.Method)) // a pruned version has weights of its own
            throw new ArgumentException($"{subject} is already {earlier.Method} (compressed from version {earlier.Version}); compress --version {earlier.Version} instead.");
        var runId = source.RunId
            ?? throw new ArgumentException($"{subject} records no run, so there is no training data to calibrate or test on; register it from a run with ./anvil register.");
        var q = CompressRun.Quantise(recorder.GetRun(runId), subject, method, calibration, progress, _ => verified.ReadOnnx());
        var lineage = new ModelSource(source.Version, source.ManifestDigest, method, q.Calibration);
        var metrics = new Dictionary<string, double> { ["test_accuracy"] = q.Compressed.Accuracy };
        var files = EncryptedVersions.Build(catalog.FileKeys(selector.OrganizationId), signer, Path.Combine(registries.Home.Directory, "models"),
            staging => ModelVersionBuilder.BuildDerived(verified, q.Int8, lineage, metrics, signer, staging));
        var compressed = catalog.AddVersion(selector.OrganizationId, source.ModelName, files.Directory, files.Digest, runId);
        if (aliasTo is not null)
            catalog.SetAlias(selector.OrganizationId, source.ModelName, aliasTo, compressed.Version);
        new Pipeline.ModelRegistration(registries.Home, new Registry.Runs.RunStore(registries.Database, registries.Home), catalog).WriteTrust(compressed);
        return new Result(source, compressed, method, q.Source, q.Compressed);
    }

    /// <summary>
    /// Prunes the channels of the run a version was registered from, fine-tunes it, and registers the pruned run as the
    /// model's next version with the source version as its lineage; both graphs measured on the run's test set.
    /// </summary>
    public static (Result Version, CompressPrune.Result Pruning) Prune(Registries registries, IRunRecorder recorder, Selector selector, string method, PruningOptions options, string? aliasTo, TextWriter progress)
    {
        var source = Find(registries.Catalog, selector);
        using var signer = ManifestSigner.OpenOrCreate(registries.Home);
        var verified = registries.Catalog.OpenFiles(source, signer);
        var subject = $"Model '{source.ModelName}' version {source.Version}";
        if (verified.Manifest.Source is { } earlier && !CompressPrune.Prunes(earlier.Method))
            throw new ArgumentException($"{subject} is {earlier.Method} of version {earlier.Version}, a graph without trainable weights; prune --version {earlier.Version} instead.");
        var runId = source.RunId
            ?? throw new ArgumentException($"{subject} records no run, so there are no weights and data to prune and fine-tune; register it from a run with ./anvil register.");
        var pruned = CompressPrune.Prune(recorder, runId, options, progress, verified.ReadOnnx());
        var store = new Registry.Runs.RunStore(registries.Database, registries.Home);
        var lineage = new ModelSource(source.Version, source.ManifestDigest, method, 0);
        var version = new Pipeline.ModelRegistration(registries.Home, store, registries.Catalog).Register(pruned.Pruned.RunId, selector.OrganizationId, source.ModelName, aliasTo, source: lineage);
        return (new Result(source, version, method, pruned.Source, pruned.Compressed), pruned);
    }

    // Another organization's model reads as missing, with the same words as a model nobody has.
    internal static ModelVersion Find(ModelCatalog catalog, Selector s)
    {
        var model = catalog.Find(s.OrganizationId, s.Model)
            ?? throw new RegistryException($"Organization '{s.OrganizationName}' has no model '{s.Model}'. ./anvil models list --org {s.OrganizationName} lists them.");
        if (s.Version is int number)
            return catalog.FindVersion(s.OrganizationId, s.Model, number)
                ?? throw new RegistryException($"Model '{s.Model}' has no version {number}; its versions are {string.Join(", ", catalog.Versions(s.OrganizationId, s.Model).Select(v => v.Version))}.");
        var alias = s.Alias ?? Pipeline.ModelRegistration.Champion;
        return catalog.Resolve(s.OrganizationId, s.Model, alias)
            ?? throw new RegistryException($"Model '{s.Model}' has no alias '{alias}'; its aliases are {(model.Aliases.Count == 0 ? "none" : string.Join(", ", model.Aliases.Keys))}. Pass --version N or --alias A.");
    }
}
