using System.Text;
using Anvil.Registry.Versions;

namespace Anvil.Registry.Tests.Versions;

/// <summary>A trust report signed with the manifest's key reads back whole; any changed byte, another key or another version is refused.</summary>
public sealed class TrustFilesTests : IDisposable
{
    private const string Digest = "913f0d66e02ac350598d10b8bcfd505add310b656394add71842912ffdd88354";
    private readonly TempDirectory _temp = new();

    private string Folder => Directory.CreateDirectory(Path.Combine(_temp.Path, "version")).FullName;

    internal static TrustReport Report(string digest = Digest) => new()
    {
        ManifestDigest = digest,
        RunId = "01a2330016c77c529845c3fa557ea43c",
        DatasetHash = "ed9a79ce",
        CodeVersion = "1.0.0+e489cf9",
        CreatedAt = new DateTimeOffset(2026, 12, 1, 19, 0, 0, TimeSpan.Zero),
        Metrics = TrustSection.Of("run 01a2", new Dictionary<string, double> { ["test_accuracy"] = 0.91 }),
        RocAuc = TrustSection.Of("run 01a2", new Dictionary<string, double> { ["test_macro_auc"] = 0.98, ["test_auc/Bag"] = 0.99 }),
        CrossValidation = TrustSection.Missing("no cv run of this dataset"),
        Robustness = TrustSection.Of("run 01a2", new Dictionary<string, double> { ["robust_accuracy"] = 0.41, ["robust_accuracy_linf_0.1"] = 0.41 }),
        Privacy = TrustSection.Missing("not trained with differential privacy"),
        DataAudit = TrustSection.Missing("no audit of this dataset"),
    };

    private static IReadOnlyDictionary<string, byte[]> Page(TrustReport report) =>
        new Dictionary<string, byte[]> { [TrustFiles.PageFile] = Encoding.UTF8.GetBytes($"<p>{report.Metrics.Values["test_accuracy"]}</p>") };

    private (AnvilHome Home, string Folder) Written()
    {
        var home = new AnvilHome(Path.Combine(_temp.Path, "home"));
        using var signer = ManifestSigner.OpenOrCreate(home);
        var folder = Folder;
        TrustFiles.Write(folder, Report(), signer, Page);
        return (home, folder);
    }

    [Fact]
    public void AWrittenReportReadsBackWithItsSectionsAndSummaryDigest()
    {
        var (home, folder) = Written();
        using var verifier = ManifestSigner.OpenForVerification(home);

        var read = TrustFiles.Read(folder, Digest, verifier)!;

        Assert.Equal(0.41, read.Figure("robust_accuracy"));
        Assert.Null(read.Figure("cv_mean_accuracy"));
        Assert.Equal(TrustSection.NotMeasured, read.CrossValidation.Status);
        Assert.Equal("no cv run of this dataset", read.CrossValidation.Note);
        Assert.Equal([TrustFiles.PageFile], read.Summary.Keys);
        Assert.Null(TrustFiles.Read(Path.Combine(_temp.Path, "none-here"), Digest, verifier)); // a version from before trust reports
    }

    [Theory]
    [InlineData(TrustFiles.ReportFile, "signature (trust.sig) does not match")]
    [InlineData(TrustFiles.PageFile, "summary file trust.html is missing or does not match")]
    public void AChangedByteIsRefused(string file, string reason)
    {
        var (home, folder) = Written();
        var path = Path.Combine(folder, file);
        File.WriteAllText(path, File.ReadAllText(path).Replace("0.91", "0.99", StringComparison.Ordinal));
        using var verifier = ManifestSigner.OpenForVerification(home);

        var refused = Assert.Throws<RegistryException>(() => TrustFiles.Read(folder, Digest, verifier));

        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Contains("--refresh", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AReportOfAnotherVersionOrAnotherKeyIsRefused()
    {
        var (home, folder) = Written();
        using var verifier = ManifestSigner.OpenForVerification(home);
        Assert.Contains("speaks for manifest 913f", Assert.Throws<RegistryException>(() => TrustFiles.Read(folder, new string('a', 64), verifier)).Message, StringComparison.Ordinal);

        using var stranger = ManifestSigner.OpenOrCreate(new AnvilHome(Path.Combine(_temp.Path, "stranger")));
        TrustFiles.Write(folder, Report(), stranger, Page);
        Assert.Contains("signed by another key", Assert.Throws<RegistryException>(() => TrustFiles.Read(folder, Digest, verifier)).Message, StringComparison.Ordinal);
    }

    public void Dispose() => _temp.Dispose();
}
