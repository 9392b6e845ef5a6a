using System.Text.Json;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Plots;
using Anvil.Training.Training;

namespace Anvil.Cli.Pipeline;

/// <summary>The files of a run's artifacts folder, written and read in one place.</summary>
internal sealed class Artifacts(string directory)
{
    public string Directory { get; } = directory;
    public string Weights => Path.Combine(Directory, "model.weights");
    public string Spec => Path.Combine(Directory, "spec.json");
    public string Recipe => Path.Combine(Directory, "recipe.json");
    public string Metrics => Path.Combine(Directory, "metrics.json");
    public string History => Path.Combine(Directory, "history.json");
    public string Checkpoints => Path.Combine(Directory, "checkpoints");
    public string TrainingCurves => Path.Combine(Directory, "training_curves.png");
    public string ConfusionMatrix => Path.Combine(Directory, "confusion_matrix.png");
    public string RocCurves => Path.Combine(Directory, "roc_curves.png");

    public void SaveModel(SpecModel model, Training.Training.Recipe recipe)
    {
        System.IO.Directory.CreateDirectory(Directory);
        model.save(Weights);
        model.Spec.Save(Spec);
        File.WriteAllText(Recipe, recipe.ToJson());
    }

    public void SaveHistory(IReadOnlyList<EpochMetrics> history)
    {
        File.WriteAllText(History, JsonSerializer.Serialize(history, ModelSpecJson));
        if (history.Count > 0)
            TrainingCurvesPlot.Save(history, TrainingCurves);
    }

    public void SaveEvaluation(EvaluationReport report, IReadOnlyList<string> classNames, IReadOnlyDictionary<string, double> metrics)
    {
        File.WriteAllText(Metrics, JsonSerializer.Serialize(metrics, ModelSpecJson));
        ConfusionMatrixPlot.Save(report.ConfusionMatrix, classNames, ConfusionMatrix);
        RocPlot.Save(report.Roc, classNames, RocCurves);
    }

    public Training.Training.Recipe LoadRecipe() => Training.Training.Recipe.FromJson(File.ReadAllText(Require(Recipe)), Recipe);

    public ModelSpec LoadSpec() => ModelSpec.Load(Require(Spec));

    public string Require(string path) => File.Exists(path) ? path
        : throw new FileNotFoundException($"Run artifact '{path}' is missing: the run did not finish training. Train it again or resume it with --resume.", path);

    private static JsonSerializerOptions ModelSpecJson { get; } = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
