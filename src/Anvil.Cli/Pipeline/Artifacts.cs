using Anvil.Cli.Commands;
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
    public string WeightsPath => Path.Combine(Directory, "model.weights");
    public string SpecPath => Path.Combine(Directory, "spec.json");
    public string RecipePath => Path.Combine(Directory, "recipe.json");
    public string MetricsPath => Path.Combine(Directory, "metrics.json");
    public string HistoryPath => Path.Combine(Directory, "history.json");
    public string CheckpointsDirectory => Path.Combine(Directory, "checkpoints");
    public string TrainingCurvesPng => Path.Combine(Directory, "training_curves.png");
    public string ConfusionMatrixPng => Path.Combine(Directory, "confusion_matrix.png");
    public string RocCurvesPng => Path.Combine(Directory, "roc_curves.png");

    public void SaveModel(SpecModel model, Recipe recipe)
    {
        System.IO.Directory.CreateDirectory(Directory);
        model.save(WeightsPath);
        model.Spec.Save(SpecPath);
        File.WriteAllText(RecipePath, recipe.ToJson());
    }

    public void SaveHistory(IReadOnlyList<EpochMetrics> history)
    {
        File.WriteAllText(HistoryPath, JsonSerializer.Serialize(history, JsonOutput.Indented));
        if (history.Count > 0)
            TrainingCurvesPlot.Save(history, TrainingCurvesPng);
    }

    public void SaveEvaluation(EvaluationReport report, IReadOnlyList<string> classNames, IReadOnlyDictionary<string, double> metrics)
    {
        File.WriteAllText(MetricsPath, JsonSerializer.Serialize(metrics, JsonOutput.Indented));
        ConfusionMatrixPlot.Save(report.ConfusionMatrix, classNames, ConfusionMatrixPng);
        RocPlot.Save(report.Roc, classNames, RocCurvesPng);
    }

    public Recipe LoadRecipe() => Recipe.FromJson(File.ReadAllText(Require(RecipePath)), RecipePath);

    public ModelSpec LoadSpec() => ModelSpec.Load(Require(SpecPath));

    public string Require(string path) => File.Exists(path) ? path
        : throw new FileNotFoundException($"Run artifact '{path}' is missing: the run did not finish training. Train it again or resume it with --resume.", path);
}
