using System.Text.RegularExpressions;
using Anvil.Training.Models;

namespace Anvil.Training.Tests.Models;

/// <summary>docs/specs.md stays true: every layer type is documented and every JSON example is a valid spec.</summary>
public partial class SpecDocsTests
{
    private static readonly string Docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "specs.md"));

    [Fact]
    public void EveryLayerTypeAndInputKindIsDocumented()
    {
        Assert.All(LayerTypes.All, type => Assert.Contains($"`{type}`", Docs));
        Assert.All(InputKinds.All, kind => Assert.Contains($"**{kind}**", Docs));
    }

    [Fact]
    public void JsonExamplesAreValidSpecs()
    {
        var examples = JsonBlock().Matches(Docs).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(examples);
        Assert.All(examples, json => Assert.Equal([2L], ModelBuilder.InferOutputShape(ModelSpec.Parse(json, "docs/specs.md"))));
    }

    [GeneratedRegex("```json\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Anvil.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Anvil.sln not found above the test directory.");
    }
}
