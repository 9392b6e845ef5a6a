namespace Anvil.Registry.Versions;

/// <summary>
/// A version's <see cref="TrustReport"/> on disk, beside its manifest: <c>trust.json</c>, <c>trust.sig</c> (ECDSA
/// P-256 over SHA-256 with the manifest's key, by <see cref="ManifestSigner"/>) and its one-page summary
/// (<c>trust.html</c>, <c>trust.png</c>, whose digests the signed report holds). Unlike the sealed files these may be
/// rewritten when a later robustness test or audit adds figures, so the manifest does not list them; they are
/// checked on their own signature instead.
/// </summary>
public static class TrustFiles
{
    public const string ReportFile = "trust.json";
    public const string SignatureFile = "trust.sig";
    public const string PageFile = "trust.html";
    public const string ChartFile = "trust.png";

    /// <summary>The names a version folder may hold beside the files its manifest lists.</summary>
    public static readonly IReadOnlySet<string> Names = new HashSet<string>(StringComparer.Ordinal) { ReportFile, SignatureFile, PageFile, ChartFile };

    /// <summary>
    /// Writes the summary files <paramref name="render"/> makes from <paramref name="report"/> (name → bytes; names from
    /// <see cref="Names"/>), then the report holding their digests, then its signature. Returns the report as written.
    /// </summary>
    public static TrustReport Write(string directory, TrustReport report, ManifestSigner signer, Func<TrustReport, IReadOnlyDictionary<string, byte[]>> render)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(render);
        var digests = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, bytes) in render(report with { Summary = new Dictionary<string, string>() }))
        {
            if (name is not (PageFile or ChartFile))
                throw new ArgumentException($"A trust summary is {PageFile} and {ChartFile}; '{name}' is neither.", nameof(render));
            WritePrivate(Path.Combine(directory, name), bytes);
            digests[name] = ModelVersionFiles.Digest(bytes);
        }

        var signed = report with { Summary = digests };
        var json = signed.ToUtf8Bytes();
        WritePrivate(Path.Combine(directory, ReportFile), json);
        WritePrivate(Path.Combine(directory, SignatureFile), signer.Sign(json));
        return signed;
    }

    /// <summary>
    /// The version's report once its signature, the manifest it names and the summary files' digests are checked;
    /// null when the version has no trust report (registered before reports existed). A changed byte is refused.
    /// </summary>
    public static TrustReport? Read(string directory, string manifestDigest, ManifestSigner verifier)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        var path = Path.Combine(directory, ReportFile);
        var signaturePath = Path.Combine(directory, SignatureFile);
        if (!File.Exists(path) && !File.Exists(signaturePath))
            return null;
        foreach (var name in new[] { ReportFile, SignatureFile })
        {
            if (FileKinds.NotARegularFile(Path.Combine(directory, name)) is { } kind)
                throw Refused(path, $"{name} is {kind}");
        }

        var bytes = File.ReadAllBytes(path);
        if (!verifier.Verify(bytes, File.ReadAllBytes(signaturePath)))
            throw Refused(path, $"its signature ({SignatureFile}) does not match: the report was changed or signed by another key");
        var report = TrustReport.Parse(bytes, path);
        if (!string.Equals(report.ManifestDigest, manifestDigest, StringComparison.Ordinal))
            throw Refused(path, $"it speaks for manifest {report.ManifestDigest}, not this version's {manifestDigest}");
        foreach (var (name, expected) in report.Summary)
        {
            var file = Path.Combine(directory, name);
            if (!Names.Contains(name) || FileKinds.NotARegularFile(file) is not null || ModelVersionFiles.Digest(File.ReadAllBytes(file)) != expected)
                throw Refused(path, $"the summary file {name} is missing or does not match its digest in the signed report");
        }

        return report;
    }

    private static void WritePrivate(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        PrivateFiles.Restrict(path);
    }

    private static RegistryException Refused(string path, string reason) => new(
        $"Refusing trust report {path}: {reason}. Write it again with ./anvil models trust NAME --org ORG --refresh.");
}
