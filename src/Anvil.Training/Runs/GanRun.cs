using System.Diagnostics;
using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using Anvil.Training.Plots;
using Anvil.Training.Training;
using Anvil.Training.Training.Callbacks;
using static TorchSharp.torch;

namespace Anvil.Training.Runs;

/// <summary>
/// A run whose recipe has a <c>"gan"</c> section: a DCGAN generator trained on the data's images by the same
/// <see cref="Trainer"/> with a <see cref="GanStep"/>. Images are scaled to [-1, 1] (the generator's tanh range).
/// A judge (seed-cnn) is first trained on the real training images and kept with the run; every epoch then
/// scores the generator against the real test images (Fréchet distance on the judge's features, class coverage)
/// and writes a grid of samples. The run's model is the generator; checkpoints hold both networks and both optimisers.
/// </summary>
/// <example>
/// <code>var summary = new GanRun(recorder, Console.Error, interactive: true, []).Train(request, cancellationToken);</code>
/// </example>
internal sealed class GanRun(IRunRecorder recorder, TextWriter progress, bool interactive, IReadOnlyList<Callback> extraCallbacks)
{
    private const string JudgeWeights = "judge.weights", DiscriminatorSpec = "discriminator.json", SamplesFolder = "samples";

    public RunSummary Train(RunRequest request, CancellationToken cancellationToken)
    {
        var (source, recipe, limits) = (request.Source, request.Recipe with { Model = Dcgan.Name }, request.Limits);
        var clock = Stopwatch.StartNew();
        var datasetHash = source.Hash();
        var (train, test) = LoadImages(source, recipe, limits);
        using (train)
        using (test)
        {
            var parameters = new Dictionary<string, string>(source.ToParameters()) { ["task"] = "generation", ["model"] = recipe.Model, ["recipe"] = recipe.ToJson() };
            limits.AddTo(parameters);
            var run = recorder.CreateRun(request.Name ?? $"{recipe.Model}-{source.Data}", parameters, datasetHash);
            var artifacts = new RunArtifacts(run.ArtifactsDirectory);
            manual_seed(recipe.Seed);
            var imageShape = train.SampleShape.Select(d => (int)d).ToArray();
            using var generator = ModelBuilder.Build(Dcgan.Generator(imageShape, recipe.Gan!.Noise));
            Dcgan.Initialize(generator);
            var discriminatorSpec = Dcgan.Discriminator(imageShape);
            discriminatorSpec.Save(Path.Combine(artifacts.Directory, DiscriminatorSpec));
            artifacts.SaveModel(generator, recipe, csvPolicy: null); // before training, so a crashed run can be resumed
            progress.WriteLine($"Run {run.Id}: {recipe.Model} on {source.Data} ({Math.Min(train.Count, recipe.Gan.TrainImages ?? int.MaxValue):N0} train images, {Math.Min(recipe.Gan.Samples, test.Count):N0} test images to compare), {recipe.Epochs} epoch{(recipe.Epochs == 1 ? "" : "s")}.");
            return Fit(run.Id, generator, discriminatorSpec, recipe, train, test, artifacts, resumeFrom: null, clock, cancellationToken);
        }
    }

    public RunSummary Resume(RecordedRun run, RunArtifacts artifacts, Recipe recipe, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var (train, test) = LoadImages(DataSource.FromParameters(run.Parameters), recipe, TrainingLimits.FromParameters(run.Parameters));
        using (train)
        using (test)
        {
            recorder.Resume(run.Id);
            using var generator = ModelBuilder.Build(artifacts.LoadSpec());
            var discriminatorSpec = ModelSpec.Load(artifacts.Require(Path.Combine(artifacts.Directory, DiscriminatorSpec)));
            var last = Path.Combine(artifacts.CheckpointsDirectory, "last");
            var resumeFrom = Checkpoint.Exists(last) ? last : null;
            progress.WriteLine(resumeFrom is null ? $"Run {run.Id}: no checkpoint yet, training from the start." : $"Run {run.Id}: resuming from its last checkpoint.");
            return Fit(run.Id, generator, discriminatorSpec, recipe, train, test, artifacts, resumeFrom, clock, cancellationToken);
        }
    }

    private RunSummary Fit(string runId, SpecModel generator, ModelSpec discriminatorSpec, Recipe recipe, TensorDataset train, TensorDataset test,
        RunArtifacts artifacts, string? resumeFrom, Stopwatch clock, CancellationToken cancellationToken)
    {
        var gan = recipe.Gan!;
        using var classifier = Judge(recipe, train, test, artifacts); // on every training image, not only the GAN's budget
        using var budgetRows = arange(Math.Min(gan.TrainImages ?? train.Count, train.Count));
        using var budget = budgetRows.shape[0] < train.Count ? train.Subset(budgetRows) : null;
        train = budget ?? train;
        using var judge = new GanJudge(classifier, gan.Samples);
        using var discriminator = ModelBuilder.Build(discriminatorSpec);
        Dcgan.Initialize(discriminator); // a resume then loads its checkpointed weights over these
        using var step = new GanStep(discriminator, gan, judge);
        var callbacks = new List<Callback>
        {
            new NanGuard(),
            new ModelCheckpoint(artifacts.CheckpointsDirectory, "loss"),
            new EpochRecorder(recorder, runId),
            new SampleGrid(Path.Combine(artifacts.Directory, SamplesFolder), recipe.Seed),
            new ProgressBar(progress, interactive),
        };
        callbacks.AddRange(extraCallbacks);
        // The judge compares the first gan.samples test images; validation reads nothing else.
        var (result, stopped) = RecordedFit.Run(recorder, runId, artifacts, () => new Trainer(generator, recipe, callbacks, step).Fit(train, test, resumeFrom, cancellationToken));
        if (stopped is not null)
            return stopped;
        generator.save(artifacts.WeightsPath);
        FrechetDistancePlot.Save(result.History, Path.Combine(artifacts.Directory, "frechet_distance.png"));
        var (first, last) = (result.History[0].TaskMetrics, result.History[^1].TaskMetrics);
        var metrics = new Dictionary<string, double>
        {
            ["frechet_distance"] = last["frechet_distance"],
            ["frechet_distance_epoch1"] = first["frechet_distance"],
            ["class_coverage"] = last["class_coverage"],
            ["judge_test_accuracy"] = Evaluator.LossAndAccuracy(classifier, test).Accuracy,
        };
        var summary = RunSummary.Generated(runId, artifacts.Directory, result, metrics, recipe.SamplesPerEpoch(train.Count), clock.Elapsed);
        summary.AddTrainingFigures(metrics);
        artifacts.SaveMetrics(metrics, evaluation: false);
        recorder.LogMetrics(runId, metrics);
        recorder.Finish(runId, RunOutcome.Finished);
        return summary;
    }

    /// <summary>The run's judge: loaded from its artifacts, or trained on all the real training images (gan.train_images limits the GAN only) and saved there.</summary>
    private SpecModel Judge(Recipe recipe, TensorDataset train, TensorDataset test, RunArtifacts artifacts)
    {
        var path = Path.Combine(artifacts.Directory, JudgeWeights);
        var spec = BuiltInModels.Create("seed-cnn", train.SampleShape.Select(d => (int)d).ToArray(), [.. train.ClassNames]);
        manual_seed(recipe.Seed + 1);
        var judge = ModelBuilder.Build(spec);
        if (File.Exists(path))
        {
            judge.load(path);
            return judge;
        }
        var judgeRecipe = Recipe.SeedCnn with { Epochs = recipe.Gan!.JudgeEpochs, Seed = recipe.Seed, ValidationFraction = 0, Threads = recipe.Threads };
        progress.WriteLine($"Training the judge (seed-cnn, {judgeRecipe.Epochs} epochs) on the {train.Count:N0} real training images…");
        new Trainer(judge, judgeRecipe).Fit(train);
        judge.save(path);
        progress.WriteLine($"Judge: {Evaluator.LossAndAccuracy(judge, test).Accuracy:P2} test accuracy.");
        return judge;
    }

    /// <summary>The source's training and test images, limited and scaled to [-1, 1].</summary>
    private (TensorDataset Train, TensorDataset Test) LoadImages(DataSource source, Recipe recipe, TrainingLimits limits)
    {
        var data = source.Load(recipe, csvPolicy: null, progress);
        var (train, test) = (data.Train, data.Test);
        if (train.Features.dim() != 4 || train.Task != TaskKind.Classification)
        {
            data.Dispose();
            throw new ArgumentException($"A GAN trains on labelled images (the labels train its judge), but '{source.Data}' holds {(train.Features.dim() == 4 ? "images without classes" : "no images")}. Use fashion-mnist or an image folder, or remove the recipe's \"gan\" section.");
        }
        if (limits.Samples is { } n)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(n, 2, "--limit");
            (train, test) = (PreparedData.Head(train, n), PreparedData.Head(test, n));
        }
        foreach (var split in new[] { train, test })
            split.Features.mul_(2).sub_(1); // [0, 1] → [-1, 1]
        return (train, test);
    }
}
