using System.Text.Json.Nodes;
using Anvil.Training.Tuning;

namespace Anvil.Training.Tests.Tuning;

public class StudyDefinitionTests
{
    private const string Good = """
        {
          "name": "s", "direction": "maximize", "metric": "val_accuracy",
          "recipe": { "model": "seed-cnn", "validation_fraction": 0.1 },
          "space": {
            "learning_rate": { "type": "float", "low": 1e-4, "high": 1e-1, "log": true },
            "batch_size": { "type": "int", "low": 16, "high": 128 },
            "optimizer": { "type": "categorical", "choices": ["adam", "sgd"] }
          }
        }
        """;

    [Fact]
    public void TheSampleStudyLoadsAndItsTrialsBecomeRecipes()
    {
        var study = StudyDefinition.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "tune", "fmnist.json"));
        var space = study.SearchSpace();
        var sampler = study.CreateSampler();

        var recipe = space.Apply(sampler.Sample(space, [], 0)!);

        Assert.Equal("seed-cnn", recipe.Model);
        Assert.InRange(recipe.LearningRate, 1e-4, 3e-2);
        Assert.Contains(recipe.BatchSize, new[] { 32, 64, 128, 256 });
        Assert.IsType<MedianPruner>(study.Pruner!.Create(study.Maximize));
    }

    [Fact]
    public void AppliedValuesReplaceOnlyTheirFields()
    {
        var space = StudyDefinition.Parse(Good).SearchSpace();

        var recipe = space.Apply(new Dictionary<string, double> { ["learning_rate"] = 0.01, ["batch_size"] = 32, ["optimizer"] = 1 });

        Assert.Equal((0.01, 32, "sgd", "seed-cnn", 0.1), (recipe.LearningRate, recipe.BatchSize, recipe.Optimizer, recipe.Model, recipe.ValidationFraction));
    }

    [Fact]
    public void TheStoredDefinitionReadsBackTheSameAndTheDataPicksTheModelWhenNoneIsNamed()
    {
        var study = StudyDefinition.Parse(Good);
        var json = JsonNode.Parse(Good)!.AsObject();
        json["recipe"]!.AsObject().Remove("model");

        Assert.Equal(study.ToJson(), StudyDefinition.Parse(study.ToJson()).ToJson());
        Assert.DoesNotContain("maximize\":", study.ToJson());
        Assert.True(study.NamesModel);
        Assert.False(StudyDefinition.Parse(json.ToJsonString()).NamesModel);
    }

    [Theory]
    [InlineData("colour", "1", "colour")]
    [InlineData("name", "\"../etc\"", "name '../etc' is not a plain name")]
    [InlineData("space", """{ "epochs": { "type": "int", "low": 1, "high": 9, "step": 1.5 } }""", "step must be positive and whole, got 1.5")]
    [InlineData("space", "{}", "space is empty")]
    [InlineData("space", """{ "learning_rat": { "type": "float", "low": 0.1, "high": 1 } }""", "space.learning_rat is not a recipe field; use one of")]
    [InlineData("space", """{ "learning_rate": { "type": "float", "low": 0, "high": 1, "log": true } }""", "a log range needs low > 0, got 0")]
    [InlineData("space", """{ "weight_decay": { "type": "float", "low": -1, "high": 1, "log": true } }""", "a log range needs low > 0, got -1")]
    [InlineData("space", """{ "optimizer": { "type": "categorical", "choices": ["adam", "lion"] } }""", "space.optimizer = \"lion\": Invalid recipe: optimizer 'lion' is unknown")]
    [InlineData("space", """{ "epochs": { "type": "int", "low": 5, "high": 1 } }""", "low 5 is above high 1")]
    [InlineData("space", """{ "epochs": { "type": "integer", "low": 1, "high": 5 } }""", "type 'integer' is unknown; use float, int or categorical")]
    [InlineData("metric", "\"test_accuracy\"", "metric 'test_accuracy' is not a validation metric")]
    [InlineData("direction", "\"minimize\"", "direction minimize does not fit val_accuracy")]
    [InlineData("recipe", """{ "validation_fraction": 0 }""", "validation_fraction 0; set recipe.validation_fraction above 0")]
    [InlineData("sampler", "\"cmaes\"", "sampler 'cmaes' is unknown; use tpe, random or grid")]
    [InlineData("pruner", """{ "type": "hyperband" }""", "pruner: type 'hyperband' is unknown")]
    [InlineData("sampler", "\"grid\"", "the grid sampler needs a step for a float parameter")]
    public void ABadStudyIsOneLineSayingWhatToFix(string field, string value, string expected) => AssertOneLineError(Good, field, value, expected);

    /// <summary>Sets <paramref name="field"/> of <paramref name="study"/> to <paramref name="value"/> and expects a one-line error containing <paramref name="expected"/>.</summary>
    internal static void AssertOneLineError(string study, string field, string value, string expected)
    {
        var json = JsonNode.Parse(study)!.AsObject();
        json[field] = JsonNode.Parse(value);

        var error = Assert.Throws<InvalidDataException>(() => StudyDefinition.Parse(json.ToJsonString()));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void AMissingStudyFileNamesTheSample()
    {
        var error = Assert.Throws<FileNotFoundException>(() => StudyDefinition.Load("no-such-study.json"));

        Assert.Contains("samples/tune/fmnist.json", error.Message);
    }
}
