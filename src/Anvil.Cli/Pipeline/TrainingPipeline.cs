using System.Diagnostics;
using Anvil.Registry.Runs;
using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Training;
using Anvil.Training.Training.Callbacks;
using Anvil.Training.Transforms;
using static TorchSharp.torch;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// One run end to end: load data, split, fit normalisation on the training split, build the
/// model, train with progress/checkpoints/NaN guard, evaluate on the test set, write artifacts
/// and plots, and record everything in the registry.
/// </summary>
internal sealed class TrainingPipeline(IRunStore store, TextWriter progress, bool interactive)
{
    public RunSummary Train(DataSource source, Recipe recipe, string? name, TrainingLimits limits, CancellationToken cancellationToken)
    {
        recipe.Validate();
        var clock = Stopwatch.StartNew();
        var data = PreparedData.Load(source, recipe, limits, preprocessing: null);
        using var disposeData = data;
        if (data.Train.Features.dim() != 4 && (recipe.CropPadding > 0 || recipe.HorizontalFlip || recipe.TestTimeAugmentation))
        {
            progress.WriteLine("The data are feature vectors, not images: crop, flip and test-time augmentation are turned off.");
            recipe = recipe with { CropPadding = 0, HorizontalFlip = false, TestTimeAugmentation = false };
        }
        var spec = ResolveSpec(recipe.Model, data.Train) with { Preprocessing = data.Preprocessing };
        var parameters = new Dictionary<string, string>(source.ToParameters())
        {
            ["model"] = recipe.Model,
            ["recipe"] = recipe.ToJson(),
        };
        limits.AddTo(parameters);
        var run = store.CreateRun(name ?? $"{recipe.Model}-{source.Data}", parameters, DatasetHash.Compute(data.Train));
        var artifacts = new Artifacts(run.ArtifactsDirectory);
        manual_seed(recipe.Seed);
        using var model = ModelBuilder.Build(spec);
        artifacts.SaveModel(model, recipe); // spec and recipe first, so a crashed run can be resumed
        progress.WriteLine($"Run {run.Id}: {spec.Name} on {source.Data} ({data.Train.Count:N0} train, {data.Validation?.Count ?? 0:N0} validation, {data.Test.Count:N0} test), {recipe.Epochs} epochs.");
        return FitAndEvaluate(run.Id, model, recipe, data, artifacts, resumeFrom: null, limits, clock, cancellationToken);
    }

    public RunSummary Resume(string runIdOrPrefix, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var run = store.GetRun(runIdOrPrefix);
        if (run.Status == RunStatus.Finished)
            throw new ArgumentException($"Run {run.Id} already finished; there is nothing to resume. Start a new run with ./anvil train.");
        var artifacts = new Artifacts(run.ArtifactsDirectory);
        var recipe = artifacts.LoadRecipe();
        var spec = artifacts.LoadSpec();
        var limits = TrainingLimits.FromParameters(run.Parameters);
        var data = PreparedData.Load(DataSource.FromParameters(run.Parameters), recipe, limits, spec.Preprocessing);
        using var disposeData = data;
        store.Resume(run.Id);
        using var model = ModelBuilder.Build(spec);
        var last = Path.Combine(artifacts.CheckpointsDirectory, "last");
        var resumeFrom = Checkpoint.Exists(last) ? last : null;
        progress.WriteLine(resumeFrom is null
            ? $"Run {run.Id}: no checkpoint yet, training from the start."
            : $"Run {run.Id}: resuming from its last checkpoint.");
        return FitAndEvaluate(run.Id, model, recipe, data, artifacts, resumeFrom, limits, clock, cancellationToken);
    }

    private RunSummary FitAndEvaluate(string runId, SpecModel model, Recipe recipe, PreparedData data, Artifacts artifacts,
        string? resumeFrom, TrainingLimits limits, Stopwatch clock, CancellationToken cancellationToken)
    {
        var monitor = data.Validation is null ? "loss" : "val_loss";
        // Checkpoint and log before the progress line is printed, so what the user sees is already saved.
        var callbacks = new List<Callback>
        {
            new NanGuard(),
            new ModelCheckpoint(artifacts.CheckpointsDirectory, monitor),
            new RunLogger(store, runId),
            new ProgressBar(progress, interactive),
        };
        if (limits.Patience is { } patience)
            callbacks.Add(new EarlyStopping(monitor, patience));
        TrainingResult result;
        try
        {
            result = new Trainer(model, recipe, callbacks).Fit(data.Train, data.Validation, resumeFrom, cancellationToken);
        }
        catch
        {
            store.Finish(runId, RunStatus.Failed);
            throw;
        }
        artifacts.SaveHistory(result.History);
        if (result.Cancelled || result.Diverged)
        {
            store.Finish(runId, result.Cancelled ? RunStatus.Interrupted : RunStatus.Failed);
            return RunSummary.Stopped(runId, artifacts.Directory, result);
        }
        model.save(artifacts.WeightsPath);
        var report = Evaluator.Evaluate(model, data.Test, recipe.TestTimeAugmentation);
        var summary = RunSummary.Finished(runId, artifacts.Directory, result, report, data.Train.Count, clock.Elapsed);
        var metrics = new Dictionary<string, double>(report.ToMetrics("test", data.Test.ClassNames))
        {
            ["epochs"] = result.History.Count,
            ["train_seconds"] = summary.TrainSeconds,
            ["images_per_second"] = summary.ImagesPerSecond,
        };
        if (summary.PeakMemoryMb is { } peak)
            metrics["peak_memory_mb"] = peak;
        artifacts.SaveEvaluation(report, data.Test.ClassNames, metrics);
        store.LogMetrics(runId, metrics);
        store.Finish(runId, RunStatus.Finished);
        return summary;
    }

    /// <summary>The built-in model or the spec file named by <paramref name="model"/>, checked against the data's shape and classes.</summary>
    public static ModelSpec ResolveSpec(string model, TensorDataset train)
    {
        var inputShape = train.SampleShape.Select(d => (int)d).ToArray();
        var classNames = train.ClassNames.ToArray();
        if (BuiltInModels.Contains(model))
            return BuiltInModels.Create(model, inputShape, classNames);
        var spec = ModelSpec.Load(model);
        if (!spec.InputShape.SequenceEqual(inputShape) || !spec.ClassNames.SequenceEqual(classNames))
            throw new ArgumentException($"Model spec '{model}' expects input [{string.Join(", ", spec.InputShape)}] and {spec.ClassNames.Length} classes, but the data has [{string.Join(", ", inputShape)}] and {classNames.Length} classes ({string.Join(", ", classNames)}).");
        return spec;
    }
}
