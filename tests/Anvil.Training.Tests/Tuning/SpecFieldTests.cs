using System.Text.Json.Nodes;
using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Tuning;

namespace Anvil.Training.Tests.Tuning;

/// <summary>Search-space parameters over model spec fields: spec.layers[N].field.</summary>
public class SpecFieldTests
{
    private static string Study(string model, string space, string extra = "") => $$"""
        {
          "name": "s", "direction": "maximize", "metric": "val_accuracy", {{extra}}
          "recipe": { {{model}} "validation_fraction": 0.1 },
          "space": { {{space}} }
        }
        """;

    [Fact]
    public void ASpecFieldChangesOnlyThatLayerOfTheBaseSpecAndTheModelBuildsWithIt()
    {
        var study = StudyDefinition.Parse(Study("\"model\": \"seed-cnn\",", """
            "spec.layers[0].filters": { "type": "int", "low": 8, "high": 64 },
            "learning_rate": { "type": "float", "low": 1e-4, "high": 1e-2, "log": true }
            """));
        var space = study.SearchSpace();
        var values = new Dictionary<string, double> { ["spec.layers[0].filters"] = 12, ["learning_rate"] = 0.001 };
        var baseSpec = BuiltInModels.Create("seed-cnn", [1, 28, 28], [.. Enumerable.Range(0, 10).Select(i => $"c{i}")]);

        var spec = space.ApplySpec(baseSpec, values);
        var recipe = space.Apply(values);

        Assert.Equal(12, spec.Layers[0].Filters);
        Assert.Equal(baseSpec.Layers.Skip(1), spec.Layers.Skip(1));
        Assert.Equal((0.001, "seed-cnn"), (recipe.LearningRate, recipe.Model));
        using var model = ModelBuilder.Build(spec);
        var firstConvolution = model.parameters().First(); // (filters, 1, 3, 3)
        Assert.Equal([12L, 1, 3, 3], firstConvolution.shape);
    }

    [Theory]
    [InlineData("\"model\": \"mlp\",", "spec.layers[9].units", "model 'mlp' has layers 0 to 4, not 9; use an index in that range")]
    [InlineData("\"model\": \"mlp\",", "spec.layers[2].units", "layer 2 of 'mlp' is a dropout, which has no field 'units'; use one of rate")]
    [InlineData("\"model\": \"mlp\",", "spec.layers[0].units", "layer 0 of 'mlp' is a flatten, which has no field 'units'; it has no fields to tune")]
    [InlineData("\"model\": \"mlp\",", "spec.layers[1].widht", "which has no field 'widht'; use one of units, activation")]
    [InlineData("\"model\": \"mlp\",", "spec.layer[1].units", "space.spec.layer[1].units is not a spec field; write spec.layers[INDEX].FIELD")]
    [InlineData("", "spec.layers[1].units", "the recipe names no model to start from; add \\\"model\\\" to the recipe")]
    [InlineData("\"model\": \"no-such-spec.json\",", "spec.layers[1].units", "the recipe's model 'no-such-spec.json' cannot be read: Model spec 'no-such-spec.json' does not exist")]
    public void ABadSpecFieldIsOneLineNamingTheFieldAndWhatToFix(string model, string name, string expected)
    {
        var json = Study(model, $"\"{name}\": {{ \"type\": \"int\", \"low\": 8, \"high\": 64 }}");

        var error = Assert.Throws<InvalidDataException>(() => StudyDefinition.Parse(json));

        Assert.Contains(expected.Replace("\\\"", "\""), error.Message);
        Assert.Contains(name, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void AValueTheLayerRefusesGivesTheSpecsOwnMessageWithTheParameter()
    {
        var space = StudyDefinition.Parse(Study("\"model\": \"mlp\",", """ "spec.layers[2].rate": { "type": "float", "low": 0.0, "high": 1.5 } """)).SearchSpace();
        var baseSpec = BuiltInModels.Create("mlp", [4], ["a", "b"]);

        var error = Assert.Throws<InvalidDataException>(() => space.ApplySpec(baseSpec, new Dictionary<string, double> { ["spec.layers[2].rate"] = 1.5 }));

        Assert.Contains("spec.layers[2].rate = 1.5: Layer 2 (dropout) with input shape [256]: \"rate\" must be in [0, 1), got 1.5.", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ASpecFileIsTheBaseSpecAndTheModelCannotVaryWithSpecFields()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "wide.json");
        File.WriteAllText(path, """{ "layers": [ { "type": "dense", "units": 32, "activation": "relu" }, { "type": "dense" } ] }""");
        var study = StudyDefinition.Parse(Study($"\"model\": {JsonValue.Create(path).ToJsonString()},", """ "spec.layers[0].units": { "type": "int", "low": 4, "high": 16 } """));

        Assert.True(study.SearchSpace().HasSpecFields);
        var error = Assert.Throws<InvalidDataException>(() => StudyDefinition.Parse(Study("\"model\": \"mlp\",", """
            "spec.layers[1].units": { "type": "int", "low": 8, "high": 64 },
            "model": { "type": "categorical", "choices": ["mlp", "seed-cnn"] }
            """)));
        Assert.Contains("so the model cannot vary too; remove space.model", error.Message);
    }
}
