using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>
/// `anvil models trust` through the real CLI on tiny trained models: the signed report written at registration, its
/// "not measured" sections, figures added by later runs of the same organization and data, and refusals.
/// </summary>
public class TrustCommandTests
{
    private static JsonElement Trust(AnvilProcess anvil, params string[] extra)
    {
        var shown = anvil.Run(["models", "trust", "fashion", "--org", "acme", "--json", .. extra]);
        Assert.True(shown.ExitCode == 0, shown.Stderr);
        return JsonDocument.Parse(shown.Stdout).RootElement;
    }

    private static string VersionDirectory(AnvilProcess anvil) =>
        JsonDocument.Parse(anvil.Run("models", "show", "fashion", "--org", "acme", "--json").Stdout).RootElement
            .GetProperty("versions")[0].GetProperty("directory").GetString()!;

    [Fact]
    public void ARegisteredVersionCarriesASignedReportSayingWhatWasNotMeasuredAndAChangedByteIsRefused()
    {
        using var anvil = new AnvilProcess();
        var runId = ServeCommandTests.TrainAndRegister(anvil);
        var run = JsonDocument.Parse(anvil.Run("runs", "show", runId, "--json").Stdout).RootElement;
        var directory = VersionDirectory(anvil);
        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "manifest.json"))).RootElement;

        var report = Trust(anvil);

        Assert.Equal(runId, report.GetProperty("run_id").GetString());
        Assert.Equal(run.GetProperty("dataset_hash").GetString(), report.GetProperty("dataset_hash").GetString());
        Assert.Equal(manifest.GetProperty("code_version").GetString(), report.GetProperty("code_version").GetString());
        Assert.Equal(run.GetProperty("metrics").GetProperty("test_accuracy").GetDouble(), report.GetProperty("metrics").GetProperty("values").GetProperty("test_accuracy").GetDouble());
        Assert.Equal(run.GetProperty("metrics").GetProperty("test_macro_auc").GetDouble(), report.GetProperty("roc_auc").GetProperty("values").GetProperty("test_macro_auc").GetDouble());
        foreach (var section in new[] { "cross_validation", "robustness", "privacy", "data_audit" })
        {
            Assert.Equal("not measured", report.GetProperty(section).GetProperty("status").GetString());
            Assert.Empty(report.GetProperty(section).GetProperty("values").EnumerateObject());
        }

        var text = anvil.Run("models", "trust", "fashion", "--org", "acme");
        Assert.Contains("fashion v1: trust report verified", text.Stdout, StringComparison.Ordinal);
        Assert.Contains($"robustness        not measured: the run was not attacked; ./anvil robustness {runId[..12]}", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("privacy           not measured: the run was not trained with differential privacy", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("Not measured: no finished cross-validation", File.ReadAllText(Path.Combine(directory, "trust.html")), StringComparison.Ordinal);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(directory, "trust.png"))[..4]);

        var path = Path.Combine(directory, "trust.json");
        var accuracy = report.GetProperty("metrics").GetProperty("values").GetProperty("test_accuracy").GetRawText();
        File.WriteAllText(path, File.ReadAllText(path).Replace($"\"test_accuracy\": {accuracy}", "\"test_accuracy\": 0.999", StringComparison.Ordinal));
        BadInputTests.AssertOneClearError(anvil.Run("models", "trust", "fashion", "--org", "acme"), "Refusing trust report", "signature (trust.sig) does not match");
        File.AppendAllText(Path.Combine(directory, "trust.html"), "<p>certified safe</p>");
        Assert.Equal(accuracy, Trust(anvil, "--refresh").GetProperty("metrics").GetProperty("values").GetProperty("test_accuracy").GetRawText()); // written again from the registry
        File.AppendAllText(Path.Combine(directory, "trust.html"), "<p>certified safe</p>");
        BadInputTests.AssertOneClearError(anvil.Run("models", "trust", "fashion", "--org", "acme"), "summary file trust.html is missing or does not match");

        BadInputTests.AssertOneClearError(anvil.Run("models", "trust", "fashion", "--org", "acme", "--version", "7"), "has no version 7", "versions 1");
        BadInputTests.AssertOneClearError(anvil.Run("models", "trust", "nope", "--org", "acme"), "no model 'nope'");
    }

    [Fact]
    public void RobustnessCrossValidationAndAnAuditOfTheSameDataInTheSameOrganizationAppearAfterARefresh()
    {
        using var anvil = new AnvilProcess();
        var runId = ServeCommandTests.TrainAndRegister(anvil);
        var data = Path.Combine(anvil.Home, "fashion");
        string[] tiny = ["--data-dir", data, "--model", "seed-cnn", "--epochs", "1", "--limit", "100", "--folds", "2"];
        Assert.Equal(0, anvil.Run("robustness", runId[..12], "--eps", "0.05,0.2", "--steps", "2", "--limit", "20").ExitCode);
        Assert.Equal(0, anvil.Run(["cv", .. tiny]).ExitCode); // the default organization's: not acme's to show
        var cv = anvil.Run(["cv", .. tiny, "--org", "acme", "--json"]);
        Assert.True(cv.ExitCode == 0, cv.Stderr);
        var cvRun = JsonDocument.Parse(cv.Stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal("not measured", Trust(anvil).GetProperty("robustness").GetProperty("status").GetString()); // written at registration, before the attack

        var report = Trust(anvil, "--refresh");

        var robust = report.GetProperty("robustness").GetProperty("values");
        var measured = JsonDocument.Parse(anvil.Run("runs", "show", runId, "--json").Stdout).RootElement.GetProperty("metrics");
        Assert.Equal(measured.GetProperty("robust_accuracy_linf_0.2").GetDouble(), robust.GetProperty("robust_accuracy_linf_0.2").GetDouble());
        Assert.Equal(Math.Min(robust.GetProperty("robust_accuracy_linf_0.05").GetDouble(), robust.GetProperty("robust_accuracy_linf_0.2").GetDouble()), robust.GetProperty("robust_accuracy").GetDouble());
        Assert.Contains("upper bound", report.GetProperty("robustness").GetProperty("note").GetString(), StringComparison.Ordinal);
        var crossValidation = report.GetProperty("cross_validation");
        Assert.Equal($"cv run {cvRun.GetProperty("run_id").GetString()}", crossValidation.GetProperty("source").GetString());
        Assert.Equal(cvRun.GetProperty("cv_mean_accuracy").GetDouble(), crossValidation.GetProperty("values").GetProperty("cv_mean_accuracy").GetDouble());
        Assert.Equal(2, crossValidation.GetProperty("values").GetProperty("folds").GetDouble());
        Assert.Contains("on the first 100 training examples", crossValidation.GetProperty("note").GetString(), StringComparison.Ordinal);
        Assert.Equal("not measured", report.GetProperty("data_audit").GetProperty("status").GetString());

        var audit = anvil.Run(["audit", .. tiny, "--org", "acme", "--json"]);
        Assert.True(audit.ExitCode == 0, audit.Stderr);
        var audited = JsonDocument.Parse(audit.Stdout.TrimEnd().Split('\n')[^1]).RootElement;
        var auditSection = Trust(anvil, "--refresh").GetProperty("data_audit");
        Assert.Equal(audited.GetProperty("label_issues").GetDouble(), auditSection.GetProperty("values").GetProperty("audit_label_issues").GetDouble());
        Assert.Equal(audited.GetProperty("estimated_noise_rate").GetDouble(), auditSection.GetProperty("values").GetProperty("audit_estimated_noise_rate").GetDouble());
    }

    [Fact]
    public void APrivatelyTrainedVersionCarriesItsPrivacyFigures()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();
        var spec = Path.Combine(anvil.Home, "dp-cnn.json");
        File.Copy(Path.Combine(AnvilProcess.RepositoryRoot, "samples", "privacy", "spec.json"), spec);
        var trained = anvil.Run("train", "--data-dir", data, "--model", spec, "--epochs", "1", "--limit", "128", "--batch-size", "32",
            "--optimizer", "sgd", "--lr", "1", "--dp-epsilon", "8", "--dp-delta", "1e-3", "--dp-clip", "0.5", "--json");
        Assert.True(trained.ExitCode == 0, trained.Stderr);
        var runId = JsonDocument.Parse(trained.Stdout.TrimEnd().Split('\n')[^1]).RootElement.GetProperty("run_id").GetString()!;
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        Assert.Equal(0, anvil.Run("register", runId[..10], "--name", "fashion", "--org", "acme").ExitCode);
        var metrics = JsonDocument.Parse(anvil.Run("runs", "show", runId, "--json").Stdout).RootElement.GetProperty("metrics");

        var privacy = Trust(anvil).GetProperty("privacy");

        Assert.Equal("measured", privacy.GetProperty("status").GetString());
        foreach (var figure in new[] { "dp_epsilon", "dp_delta", "dp_noise_multiplier", "dp_max_grad_norm", "dp_sampling_rate" })
            Assert.Equal(metrics.GetProperty(figure).GetDouble(), privacy.GetProperty("values").GetProperty(figure).GetDouble());
        Assert.Equal(0.5, privacy.GetProperty("values").GetProperty("dp_max_grad_norm").GetDouble());
    }
}
