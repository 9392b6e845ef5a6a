using System.Text.Json.Nodes;
using Anvil.Training.Tuning;

namespace Anvil.Training.Tests.Tuning;

/// <summary>A study file's "objectives": validation, and how the study reads back.</summary>
public class MultiObjectiveStudyTests
{
    private const string Good = """
        {
          "name": "mo",
          "objectives": [{ "metric": "val_accuracy", "direction": "maximize" }, { "metric": "latency_ms", "direction": "minimize" }],
          "recipe": { "model": "seed-cnn", "validation_fraction": 0.1 },
          "space": { "spec.layers[0].filters": { "type": "int", "low": 8, "high": 64 } }
        }
        """;

    [Fact]
    public void ObjectivesReadBackInOrderAndTheValidationOneIsReportedEachEpoch()
    {
        var study = StudyDefinition.Parse(Good);

        Assert.True(study.IsMultiObjective);
        Assert.Equal(["val_accuracy", "latency_ms"], study.AllObjectives.Select(g => g.Metric));
        Assert.Equal([true, false], study.AllObjectives.Select(g => g.Maximize));
        Assert.Equal(("val_accuracy", true), (study.ReportedMetric, study.Maximize));
        Assert.Equal(study, StudyDefinition.Parse(study.ToJson()) with { Objectives = study.Objectives, Space = study.Space, Recipe = study.Recipe });
        Assert.DoesNotContain("\"metric\": null", study.ToJson());
    }

    [Fact]
    public void TheParetoSampleLoadsWithSpecFieldsOverSeedCnn()
    {
        var study = StudyDefinition.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "tune", "pareto.json"));

        Assert.True(study.IsMultiObjective && study.SearchSpace().HasSpecFields);
        Assert.Equal(["val_accuracy", "latency_ms"], study.AllObjectives.Select(g => g.Metric));
    }

    [Theory]
    [InlineData("metric", "\"val_accuracy\"", "give either \"metric\" and \"direction\" or \"objectives\", not both")]
    [InlineData("objectives", """[{ "metric": "val_accuracy", "direction": "maximize" }]""", "objectives has 1 entry; give two or more")]
    [InlineData("objectives", """[{ "metric": "val_accuracy", "direction": "maximize" }, { "metric": "val_accuracy", "direction": "maximize" }]""", "objectives names a metric twice")]
    [InlineData("objectives", """[{ "metric": "latency_ms", "direction": "minimize" }, { "metric": "bytes", "direction": "minimize" }]""", "objectives needs a validation metric")]
    [InlineData("objectives", """[{ "metric": "val_accuracy", "direction": "maximize" }, { "metric": "latency_ms", "direction": "maximize" }]""", "objectives: direction maximize does not fit latency_ms; latency_ms is better when smaller (minimize)")]
    [InlineData("objectives", """[{ "metric": "val_accuracy", "direction": "maximize" }, { "metric": "test_accuracy", "direction": "maximize" }]""", "objectives: metric 'test_accuracy' is not a validation metric; use one of val_")]
    [InlineData("objectives", """[{ "metric": "val_accuracy", "direction": "up" }, { "metric": "bytes", "direction": "minimize" }]""", "objectives: direction 'up' is unknown")]
    [InlineData("pruner", """{ "type": "median" }""", "a multi-objective study cannot be pruned")]
    public void ABadMultiObjectiveStudyIsOneLineSayingWhatToFix(string field, string value, string expected) =>
        StudyDefinitionTests.AssertOneLineError(Good, field, value, expected);

    [Fact]
    public void AStudyWithNeitherMetricNorObjectivesSaysWhatToAdd()
    {
        var json = JsonNode.Parse(Good)!.AsObject();
        json.Remove("objectives");

        var error = Assert.Throws<InvalidDataException>(() => StudyDefinition.Parse(json.ToJsonString()));

        Assert.Contains("the study needs \"metric\" and \"direction\", or \"objectives\" for several", error.Message);
    }
}
