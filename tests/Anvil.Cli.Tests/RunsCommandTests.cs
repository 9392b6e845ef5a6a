using System.Text.Json;
using Anvil.Cli.Tests.Support;

namespace Anvil.Cli.Tests;

/// <summary>Run tracking as MLflow users expect it: readable names, tags, compare, delete, hyper-parameters as objects.</summary>
public class RunsCommandTests
{
    private static JsonElement LastJsonLine(string stdout) => JsonDocument.Parse(stdout.TrimEnd().Split('\n')[^1]).RootElement;

    private static string Train(AnvilProcess anvil, string csv, params string[] extra)
    {
        var result = anvil.Run(["train", "--data", csv, "--label-column", "y", "--epochs", "1", "--json", .. extra]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return LastJsonLine(result.Stdout).GetProperty("run_id").GetString()!;
    }

    private static string WriteCsv(AnvilProcess anvil)
    {
        var dir = Directory.CreateDirectory(Path.Combine(anvil.Home, "data", "2026 exports")).FullName;
        var csv = Path.Combine(dir, "Iris Flowers.csv");
        File.WriteAllText(csv, "a,b,y\n" + string.Join('\n', Enumerable.Range(0, 40).Select(i => $"{i % 2 * 3 + i % 7 * 0.1},{i % 5},{(i % 2 == 0 ? "x" : "z")}")) + "\n");
        return csv;
    }

    [Fact]
    public void RunsGetReadableNamesTagsAndAreComparedSideBySide()
    {
        using var anvil = new AnvilProcess();
        var csv = WriteCsv(anvil);
        var first = Train(anvil, csv, "--tag", "team=vision", "--tag", "baseline=yes");
        var second = Train(anvil, csv, "--lr", "0.01");

        var listed = JsonDocument.Parse(anvil.Run("runs", "list", "--json").Stdout).RootElement;
        Assert.All(listed.EnumerateArray(), run => Assert.Equal("mlp-iris-flowers", run.GetProperty("name").GetString()));
        var vision = JsonDocument.Parse(anvil.Run("runs", "list", "--tag", "team=vision", "--json").Stdout).RootElement;
        Assert.Equal(first, Assert.Single(vision.EnumerateArray()).GetProperty("id").GetString());

        var comparison = anvil.Run("runs", "compare", first, second[..12], "--json");
        Assert.True(comparison.ExitCode == 0, comparison.Stderr);
        var json = JsonDocument.Parse(comparison.Stdout).RootElement;
        Assert.Equal(["0.2", "0.01"], json.GetProperty("parameters").GetProperty("recipe.learning_rate").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(["vision", "-"], json.GetProperty("parameters").GetProperty("tag.team").EnumerateArray().Select(v => v.GetString()));
        Assert.False(json.GetProperty("parameters").TryGetProperty("recipe.batch_size", out _), "only the parameters that differ, without --all");
        Assert.Equal(2, json.GetProperty("metrics").GetProperty("test_accuracy").GetArrayLength());
        var table = anvil.Run("runs", "compare", first, second, "--all").Stdout;
        Assert.Contains("recipe.batch_size", table);
        Assert.Contains("test_accuracy", table);

        var changed = anvil.Run("runs", "tag", second, "team=text", "--json");
        Assert.True(changed.ExitCode == 0, changed.Stderr);
        Assert.Equal("text", JsonDocument.Parse(changed.Stdout).RootElement.GetProperty("tags").GetProperty("team").GetString());
        Assert.Contains("baseline=yes", anvil.Run("runs", "list").Stdout);
    }

    [Fact]
    public void ShowPrintsTheHyperParametersAndItsJsonHoldsTheRecipeAsAnObject()
    {
        using var anvil = new AnvilProcess();
        var run = Train(anvil, WriteCsv(anvil), "--batch-size", "16");

        var text = anvil.Run("runs", "show", run).Stdout;
        Assert.Contains("recipe.batch_size = 16", text);
        Assert.Contains("recipe.optimizer = ", text);
        var json = JsonDocument.Parse(anvil.Run("runs", "show", run, "--json").Stdout).RootElement;
        var recipe = json.GetProperty("parameters").GetProperty("recipe");
        Assert.Equal(JsonValueKind.Object, recipe.ValueKind);
        Assert.Equal(16, recipe.GetProperty("batch_size").GetInt32());
        Assert.Equal("finished", json.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Array, json.GetProperty("epochs").ValueKind);
    }

    [Fact]
    public void DeleteRemovesTheRunAndItsArtifactsAndAnUnknownRunIsOneClearError()
    {
        using var anvil = new AnvilProcess();
        var run = Train(anvil, WriteCsv(anvil));
        var artifacts = Path.Combine(anvil.Home, "runs", run);
        Assert.True(Directory.Exists(artifacts));

        var deleted = anvil.Run("runs", "delete", run);
        Assert.True(deleted.ExitCode == 0, deleted.Stderr);
        Assert.False(Directory.Exists(artifacts));
        Assert.Equal("[]", anvil.Run("runs", "list", "--json").Stdout.Trim());
        BadInputTests.AssertOneClearError(anvil.Run("runs", "delete", run), run);
    }

    [Theory]
    [InlineData(new[] { "runs", "lisst" }, "'anvil runs' has no command or argument 'lisst' (commands: list, show, compare, tag, delete)")]
    [InlineData(new[] { "runs" }, "'anvil runs' needs a command: list, show")]
    [InlineData(new[] { "runs", "list", "--limit", "abc" }, "'abc' is not a valid --limit: expected a whole number")]
    [InlineData(new[] { "train", "--epochs", "1.5" }, "'1.5' is not a valid --epochs: expected a whole number")]
    [InlineData(new[] { "runs", "list", "--bogus" }, "'anvil runs list' has no option '--bogus'")]
    [InlineData(new[] { "keys", "create" }, "--org")]
    [InlineData(new[] { "orgs", "members", "add", "ann@example.com" }, "--org")]
    [InlineData(new[] { "runs", "list", "--tag", "team" }, "Tag 'team' needs the form KEY=VALUE")]
    public void ACommandLineThatDoesNotParseGetsOneLineWithTheFixAndNoHelpDump(string[] args, string expected)
    {
        using var anvil = new AnvilProcess();
        var result = anvil.Run(args);

        BadInputTests.AssertOneClearError(result, expected);
        Assert.DoesNotContain("Usage:", result.Stderr + result.Stdout);
        Assert.DoesNotContain("System.", result.Stderr);
    }

    [Fact]
    public void RunsBelongToAnOrganizationAndAnotherOneCannotRegisterThem()
    {
        using var anvil = new AnvilProcess();
        var csv = WriteCsv(anvil);
        Train(anvil, csv); // no --org: the 'default' organization, made on first use
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);
        Assert.Equal(0, anvil.Run("orgs", "create", "rival").ExitCode);
        var acmeRun = Train(anvil, csv, "--org", "acme");

        var listed = JsonDocument.Parse(anvil.Run("runs", "list", "--org", "acme", "--json").Stdout).RootElement;
        Assert.Equal(acmeRun, Assert.Single(listed.EnumerateArray()).GetProperty("id").GetString());
        Assert.Single(JsonDocument.Parse(anvil.Run("runs", "list", "--org", "default", "--json").Stdout).RootElement.EnumerateArray());
        BadInputTests.AssertOneClearError(anvil.Run("register", acmeRun, "--name", "stolen", "--org", "rival"), "belongs to another organization");
        Assert.Equal(0, anvil.Run("register", acmeRun, "--name", "mine", "--org", "acme").ExitCode);
    }

    [Fact]
    public void MembersAreManagedWithOrgLikeEveryOtherCommand()
    {
        using var anvil = new AnvilProcess();
        Assert.Equal(0, anvil.Run("orgs", "create", "acme").ExitCode);

        var added = anvil.Run("orgs", "members", "add", "ann@example.com", "--org", "acme", "--role", "viewer");
        Assert.True(added.ExitCode == 0, added.Stderr);
        Assert.Contains("ann@example.com", anvil.Run("orgs", "members", "list", "--org", "acme").Stdout);
        BadInputTests.AssertOneClearError(anvil.Run("orgs", "members", "add", "bob@example.com", "--org", "acme", "--role", "boss"), "'boss'", "owner");
    }
}
