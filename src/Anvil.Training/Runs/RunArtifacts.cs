using System.Text.Json;
using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Plots;
using Anvil.Training.Training;

namespace Anvil.Training.Runs;

/// <summary>
/// The files of a run's artifacts folder, written and read in one place. <c>metrics.json</c> and its
/// plots hold what training measured (the figures the registry holds); <c>evaluation.json</c> and
/// <c>evaluation_*.png</c> hold the latest re-evaluation, so the two never silently disagree.
/// </summary>
/// <example>
/// <code>var spec = new RunArtifacts(run.ArtifactsDirectory).LoadSpec();</code>
/// </example>
public sealed class RunArtifacts(string directory)
{
    /// <summary>The artifacts folder.</summary>
    public string Directory { get; } = directory;
    /// <summary>Final (averaged, when weight EMA is on) weights.</summary>
    public string WeightsPath => Path.Combine(Directory, "model.weights");
    /// <summary>Model spec with the fitted preprocessing.</summary>
    public string SpecPath => Path.Combine(Directory, "spec.json");
    /// <summary>The recipe as run (after the data's facts were applied).</summary>
    public string RecipePath => Path.Combine(Directory, "recipe.json");
    /// <summary>The CSV cleaning policy fitted on the training rows; only for CSV data.</summary>
    public string CsvPolicyPath => Path.Combine(Directory, "csv_policy.json");
    /// <summary>The tokenizer's vocabulary, fitted on the training split; only for text data (token ids).</summary>
    public string VocabularyPath => Path.Combine(Directory, Anvil.Preprocessing.Text.TextVocabulary.FileName);
    /// <summary>Test metrics recorded by training, the same figures as the registry's.</summary>
    public string MetricsPath => Path.Combine(Directory, "metrics.json");
    /// <summary>Metrics of the latest <c>evaluate</c>.</summary>
    public string EvaluationPath => Path.Combine(Directory, "evaluation.json");
    /// <summary>Per-epoch metrics.</summary>
    public string HistoryPath => Path.Combine(Directory, "history.json");
    /// <summary>Checkpoints for <c>--resume</c>.</summary>
    public string CheckpointsDirectory => Path.Combine(Directory, "checkpoints");
    /// <summary>Loss and accuracy curves.</summary>
    public string TrainingCurvesPng => Path.Combine(Directory, "training_curves.png");

    /// <summary>Confusion matrix of training's test evaluation, or of the latest re-evaluation.</summary>
    public string ConfusionMatrixPng(bool evaluation) => Path.Combine(Directory, evaluation ? "evaluation_confusion_matrix.png" : "confusion_matrix.png");

    /// <summary>ROC curves of training's test evaluation, or of the latest re-evaluation.</summary>
    public string RocCurvesPng(bool evaluation) => Path.Combine(Directory, evaluation ? "evaluation_roc_curves.png" : "roc_curves.png");

    /// <summary>A forecaster's first week of test data, observed against forecast, of training's test evaluation or of the latest re-evaluation.</summary>
    public string ForecastPng(bool evaluation) => Path.Combine(Directory, evaluation ? "evaluation_forecast.png" : "forecast.png");

    /// <summary>Writes weights, spec, recipe and the fitted CSV policy (when there is one).</summary>
    public void SaveModel(SpecModel model, Recipe recipe, CsvPolicy? csvPolicy)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(recipe);
        System.IO.Directory.CreateDirectory(Directory);
        model.save(WeightsPath);
        model.Spec.Save(SpecPath);
        File.WriteAllText(RecipePath, recipe.ToJson());
        if (csvPolicy is not null)
            File.WriteAllText(CsvPolicyPath, csvPolicy.ToJson());
    }

    /// <summary>Writes history.json and, after at least one epoch, the training curves.</summary>
    public void SaveHistory(IReadOnlyList<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        File.WriteAllText(HistoryPath, JsonSerializer.Serialize(history, TrainingJson.Options));
        if (history.Count > 0)
            TrainingCurvesPlot.Save(history, TrainingCurvesPng);
    }

    /// <summary>Writes the metrics and the confusion-matrix and ROC plots of one evaluation.</summary>
    /// <param name="evaluation">True for a re-evaluation (evaluation.json), false for training's own (metrics.json).</param>
    public void SaveEvaluation(EvaluationReport report, IReadOnlyList<string> classNames, IReadOnlyDictionary<string, double> metrics, bool evaluation)
    {
        ArgumentNullException.ThrowIfNull(report);
        SaveMetrics(metrics, evaluation);
        ConfusionMatrixPlot.Save(report.ConfusionMatrix, classNames, ConfusionMatrixPng(evaluation));
        RocPlot.Save(report.Roc, classNames, RocCurvesPng(evaluation));
    }

    /// <summary>Writes the metrics of one evaluation: evaluation.json for a re-evaluation, else metrics.json.</summary>
    public void SaveMetrics(IReadOnlyDictionary<string, double> metrics, bool evaluation) =>
        File.WriteAllText(evaluation ? EvaluationPath : MetricsPath, JsonSerializer.Serialize(metrics, TrainingJson.Options));

    /// <summary>The recipe the run was trained with.</summary>
    public Recipe LoadRecipe() => Recipe.FromJson(File.ReadAllText(Require(RecipePath)), RecipePath);

    /// <summary>The model spec, with its fitted preprocessing.</summary>
    public ModelSpec LoadSpec() => ModelSpec.Load(Require(SpecPath));

    /// <summary>The trained model: <paramref name="spec"/> (by default the saved one) built and given the saved weights. The caller disposes it.</summary>
    public SpecModel LoadModel(ModelSpec? spec = null)
    {
        var model = ModelBuilder.Build(spec ?? LoadSpec());
        try
        {
            model.load(Require(WeightsPath));
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The fitted CSV cleaning policy, or null when the run did not train on a CSV file.</summary>
    public CsvPolicy? LoadCsvPolicy() => File.Exists(CsvPolicyPath) ? CsvPolicy.FromJson(File.ReadAllText(CsvPolicyPath)) : null;

    /// <summary>The vocabulary a text run was trained with; a user error when the file is missing.</summary>
    public Anvil.Preprocessing.Text.TextVocabulary LoadVocabulary() => Anvil.Preprocessing.Text.TextVocabulary.Load(Require(VocabularyPath));

    /// <summary>The metrics training recorded (empty when the run did not finish).</summary>
    public IReadOnlyDictionary<string, double> LoadMetrics() => File.Exists(MetricsPath)
        ? JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(MetricsPath), TrainingJson.Options) ?? []
        : new Dictionary<string, double>();

    /// <summary>The path, or a user error saying the run did not finish training.</summary>
    public string Require(string path) => File.Exists(path) ? path
        : throw new FileNotFoundException($"Run artifact '{path}' is missing: the run did not finish training. Train it again or resume it with --resume.", path);
}
