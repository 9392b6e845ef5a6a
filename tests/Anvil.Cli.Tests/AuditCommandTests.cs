using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

public class AuditCommandTests
{
    [Fact]
    public void TheAuditListsLabelIssuesAndRecordsARunWithItsReport()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();

        var (exit, stdout, stderr) = anvil.Run("audit", "--data-dir", data, "--model", "mlp", "--folds", "2", "--epochs", "1", "--limit", "300", "--top", "3", "--json");

        Assert.True(exit == 0, stderr);
        var json = JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(300, json.GetProperty("examples").GetInt32());
        var issues = json.GetProperty("label_issues").GetDouble();
        Assert.Contains("Likely label errors:", stdout);
        Assert.Contains("Fold 2/2", stderr);
        var report = JsonDocument.Parse(File.ReadAllText(json.GetProperty("report").GetString()!)).RootElement;
        Assert.Equal(issues, report.GetProperty("label_issues").GetArrayLength());
        Assert.All(report.GetProperty("label_issues").EnumerateArray(), issue =>
        {
            Assert.NotEqual(issue.GetProperty("given").GetString(), issue.GetProperty("suggested").GetString());
            Assert.InRange(issue.GetProperty("index").GetInt32(), 0, 299);
        });
        var run = JsonDocument.Parse(anvil.Run("runs", "show", json.GetProperty("run_id").GetString()!, "--json").Stdout).RootElement;
        Assert.Equal(issues, run.GetProperty("metrics").GetProperty("audit_label_issues").GetDouble());
    }

    [Fact]
    public void BadAuditOptionsAreOneClearError()
    {
        using var anvil = new AnvilProcess();
        var data = anvil.SampleFashionMnist();

        BadInputTests.AssertOneClearError(anvil.Run("audit", "--data-dir", data, "--folds", "1", "--limit", "64"), "--folds 2 or more");
        BadInputTests.AssertOneClearError(anvil.Run("audit", "--data-dir", data, "--duplicate-distance", "2", "--limit", "64"), "near-duplicate distance");
        BadInputTests.AssertOneClearError(anvil.Run("audit", "--data-dir", data, "--top", "-1", "--limit", "64"), "--top must be 0 or more");
    }
}
