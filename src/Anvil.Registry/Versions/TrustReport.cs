using System.Text.Json;
using System.Text.Json.Serialization;

namespace Anvil.Registry.Versions;

/// <summary>
/// What a model version can be trusted for (<c>trust.json</c> beside its manifest, signed like the manifest): test
/// metrics, ROC/AUC, cross-validation, robust accuracy, differential privacy and a data audit of the same dataset
/// version, each measured or stated as not measured, with the dataset hash and the code version. It names the
/// manifest it speaks for by digest, so a report cannot be moved to another version.
/// </summary>
public sealed record TrustReport
{
    public const string CurrentFormat = "anvil.trust/1";

    public string Format { get; init; } = CurrentFormat;

    /// <summary>SHA-256 (hex) of the version's manifest.json.</summary>
    public required string ManifestDigest { get; init; }

    public string? RunId { get; init; }

    public string? DatasetHash { get; init; }

    /// <summary>The manifest's code version: Anvil's assembly version + the git commit the build was made from.</summary>
    public required string CodeVersion { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required TrustSection Metrics { get; init; }

    public required TrustSection RocAuc { get; init; }

    public required TrustSection CrossValidation { get; init; }

    public required TrustSection Robustness { get; init; }

    public required TrustSection Privacy { get; init; }

    public required TrustSection DataAudit { get; init; }

    /// <summary>File name → "sha256:&lt;hex&gt;" of the one-page summary (trust.html, trust.png) rendered from this report.</summary>
    public IReadOnlyDictionary<string, string> Summary { get; init; } = new Dictionary<string, string>();

    /// <summary>Every section in reading order, with its name in trust.json.</summary>
    [JsonIgnore]
    public IReadOnlyList<(string Name, TrustSection Section)> Sections =>
    [
        ("metrics", Metrics), ("roc_auc", RocAuc), ("cross_validation", CrossValidation),
        ("robustness", Robustness), ("privacy", Privacy), ("data_audit", DataAudit),
    ];

    /// <summary>A figure by name from whichever section holds it; null when it was not measured.</summary>
    public double? Figure(string name) =>
        Sections.Select(s => s.Section.Values.TryGetValue(name, out var v) ? v : (double?)null).FirstOrDefault(v => v is not null);

    // The manifest's settings, with NaN and ±∞ allowed: a figure may be undefined.
    internal static readonly JsonSerializerOptions Json = new(ModelManifest.Json) { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public byte[] ToUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    public static TrustReport Parse(ReadOnlySpan<byte> utf8, string source)
    {
        try
        {
            var report = JsonSerializer.Deserialize<TrustReport>(utf8, Json) ?? throw new RegistryException($"{source} is empty.");
            return report.Format == CurrentFormat ? report
                : throw new RegistryException($"{source} has format '{report.Format}'; this Anvil reads '{CurrentFormat}'. Refresh it with ./anvil models trust NAME --org ORG --refresh.");
        }
        catch (JsonException e)
        {
            throw new RegistryException($"{source} is not a valid trust report: {e.Message}", e);
        }
    }
}
