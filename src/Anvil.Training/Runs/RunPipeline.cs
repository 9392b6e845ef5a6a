using System.Diagnostics;
using Anvil.Training.Compression;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Privacy;
using Anvil.Training.Robustness;
using Anvil.Training.Training;
using Anvil.Training.Training.Callbacks;
using Anvil.Training.Transfer;
using static TorchSharp.torch;

namespace Anvil.Training.Runs;

/// <summary>
/// One run end to end, the same for every caller (CLI, tuning, retraining): hash the raw data,
/// load and split it, fit cleaning and normalisation on the training split only, build the model,
/// train with checkpoints, NaN guard and progress, evaluate on the test split as served, write the
/// artifacts and record everything through an <see cref="IRunRecorder"/>.
/// </summary>
/// <example>
/// <code>
/// var pipeline = new RunPipeline(recorder, Console.Error, interactive: true);
/// RunSummary summary = pipeline.Train(new RunRequest(new DataSource("fashion-mnist"), Recipe.Default, null, new TrainingLimits(256, null)));
/// </code>
/// </example>
/// <param name="recorder">Where the run is recorded.</param>
/// <param name="progress">Where progress lines go.</param>
/// <param name="interactive">Redraw a progress bar in place.</param>
/// <param name="callbacks">Callbacks of the caller, run after the pipeline's own each epoch (a tuning trial's pruning).</param>
/// <param name="pretrained">Where a recipe's <c>transfer.pretrained</c> weights are read (Anvil.Export's ONNX reader); null refuses transfer recipes.</param>
public sealed class RunPipeline(IRunRecorder recorder, TextWriter progress, bool interactive, IReadOnlyList<Callback>? callbacks = null, IPretrainedSource? pretrained = null)
{
    /// <summary>The run parameter that counts a run's <see cref="AddedSamples"/> (with "added_hash", their hash).</summary>
    public const string AddedSamplesParameter = "added_samples";

    private readonly IReadOnlyList<Callback> _extraCallbacks = callbacks ?? [];

    /// <summary>Starts a new run.</summary>
    public RunSummary Train(RunRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (source, recipe, limits) = (request.Source, request.Recipe, request.Limits);
        recipe.Validate();
        if (recipe.Gan is not null)
            return request.EditSpec is null
                ? new GanRun(recorder, progress, interactive, _extraCallbacks).Train(request, cancellationToken)
                : throw new ArgumentException("A GAN recipe builds its own generator and judge, so spec fields cannot be tuned for it; remove the spec.layers[...] parameters from the study's space.");
        var clock = Stopwatch.StartNew();
        var datasetHash = source.Hash(); // the raw files, before any split: the same for train, cv and evaluate
        if (request.Added is { } added)
            datasetHash = added.CombinedHash(datasetHash);
        if (request.Added is not null && recipe.Distill is not null)
            throw new ArgumentException("A distilled recipe cannot train on added samples (the teacher prepares its own data); retrain a model trained without --distill.");
        var teacher = recipe.Distill is { } distill ? DistillationTeacher.Find(recorder, distill.Teacher) : null;
        var weights = recipe.Transfer is { } transfer ? LoadPretrained(transfer) : null;
        if (weights is not null)
            recipe = ForBackbone(recipe, weights, request.ModelGiven);
        // Pretrained weights bring the normalisation they were trained with; nothing is fitted on the data then.
        using var data = teacher?.Prepare(source, recipe, limits, progress) ?? PreparedData.Load(source.Load(recipe, csvPolicy: null, progress), recipe, limits, preprocessing: weights?.Preprocessing, request.Added);
        using var teacherModel = teacher?.Load(data.Train);
        recipe = FollowData(recipe, data.Train, request.ModelGiven || weights is not null, progress);
        if (teacher is not null)
            recipe = recipe with { Distill = recipe.Distill! with { Teacher = teacher.RunId } }; // the full id: a prefix can become ambiguous later
        var spec = ModelChoice.Resolve(recipe.Model, data.Train, data.Tokenizer?.Vocabulary.Count) with { Preprocessing = data.Preprocessing, Tokenizer = data.Tokenizer?.Options };
        if (request.EditSpec is { } edit)
            spec = edit(spec); // before the run exists: a spec the edit makes invalid is refused, not recorded as failed
        if (recipe.Privacy is { } privacy)
            DpSgdStep.Check(spec, privacy, data.Train.Count); // before the run exists: a model DP-SGD cannot train is refused, not recorded as failed
        if (recipe.Adversarial is { } adversarial)
            AdversarialStep.Check(spec, adversarial, data.Train);
        var parameters = new Dictionary<string, string>(source.ToParameters())
        {
            ["task"] = data.Train.Task == TaskKind.Classification ? "classification" : "regression",
            ["model"] = recipe.Model,
            ["recipe"] = recipe.ToJson(),
        };
        limits.AddTo(parameters);
        if (request.Added is { } samples)
        {
            parameters[AddedSamplesParameter] = samples.Data.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            parameters["added_hash"] = samples.Hash();
        }
        if (teacher is not null)
            parameters["teacher"] = teacher.RunId; // lineage
        if (weights is not null)
            parameters["pretrained"] = weights.Source;
        if (recipe.Adversarial is not null)
            parameters["adversarial"] = AdversarialStep.Describe(recipe.Adversarial);
        var run = recorder.CreateRun(request.Name ?? RunNames.Default(recipe.Model, source.Data), parameters, datasetHash);
        var artifacts = new RunArtifacts(run.ArtifactsDirectory);
        manual_seed(recipe.Seed);
        using var model = ModelBuilder.Build(spec);
        weights?.LoadInto(model); // the backbone's layers; the head keeps its random initialisation
        artifacts.SaveModel(model, recipe, data.CsvPolicy); // before training, so a crashed run can be resumed
        data.Tokenizer?.Vocabulary.Save(artifacts.VocabularyPath);
        progress.WriteLine($"Run {run.Id}: {spec.Name} on {source.Data} ({data.Train.Count:N0} train, {data.Validation?.Count ?? 0:N0} validation, {data.Test.Count:N0} test), {recipe.Epochs} epoch{(recipe.Epochs == 1 ? "" : "s")}"
            + (teacher is null ? "" : $", distilled from teacher run {teacher.RunId} ({teacher.Spec.Name}, temperature {recipe.Distill!.Temperature}, weight {recipe.Distill.Weight})")
            + (weights is null ? "." : $", fine-tuned from {weights.Source} ({weights.BackboneLayers} pretrained layers, a new {spec.ClassNames.Length}-class head)."));
        return FitAndEvaluate(run.Id, model, teacherModel, recipe, data, artifacts, resumeFrom: null, limits, clock, cancellationToken);
    }

    /// <summary>The run parameter that names the run a pruned run was pruned from (lineage).</summary>
    public const string PrunedFromParameter = "pruned_from";

    /// <summary>The run parameter that describes how a pruned run was pruned ("channels, …" or "magnitude, …").</summary>
    public const string PruningParameter = "pruning";

    /// <summary>
    /// A new run: a finished run's model pruned (<see cref="ChannelPruning"/> narrows its layers,
    /// <see cref="MagnitudePruning"/> zeroes its smallest weights and keeps them zero), then fine-tuned for
    /// <see cref="PruningOptions.FineTuneEpochs"/> epochs on the same data, split and normalisation with the run's recipe at a
    /// tenth of its learning rate, distilled from the unpruned source when <see cref="PruningOptions.DistillWeight"/> is
    /// above 0, and evaluated like any run (test metrics as served).
    /// </summary>
    /// <param name="runIdOrPrefix">The finished run to prune.</param>
    /// <param name="options">How much to prune, and how to fine-tune.</param>
    /// <param name="afterFit">
    /// Called with the source's data (still loaded) and the pruned run's summary when the fine-tuning has finished (not when
    /// it was stopped or failed), e.g. to measure both graphs on the test set without loading the data a second time.
    /// </param>
    /// <param name="cancellationToken">Ends the fine-tuning after the current batch.</param>
    public RunSummary Prune(string runIdOrPrefix, PruningOptions options, Action<PreparedData, RunSummary>? afterFit = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var clock = Stopwatch.StartNew();
        var source = recorder.GetRun(runIdOrPrefix);
        if (!source.Finished)
            throw new ArgumentException($"Run {source.Id} has not finished; prune a finished run (./anvil runs list), or resume it first with ./anvil train --resume {source.Id}.");
        if (source.Parameters.ContainsKey(AddedSamplesParameter))
            throw new ArgumentException($"Run {source.Id} trained on {source.Parameters[AddedSamplesParameter]} added samples (a retrain's feedback) that are not stored as files, so its data cannot be loaded again to fine-tune a pruned model.");
        var artifacts = new RunArtifacts(source.ArtifactsDirectory);
        var recipe = artifacts.LoadRecipe();
        if (recipe.Gan is not null || recipe.Privacy is not null)
            throw new ArgumentException($"Run {source.Id} is {(recipe.Gan is not null ? "a GAN" : "differentially private")}; pruning fine-tunes classifiers and regressors trained without DP (fine-tuning would spend privacy the run did not account for).");
        var spec = artifacts.LoadSpec();
        using var data = LoadAgain(source, artifacts, recipe, spec, progress);
        using var trained = artifacts.LoadModel(spec);
        var before = Parameters(trained);
        var (model, described) = options.Method switch
        {
            PruningMethod.Channels => Narrowed(trained, options.Fraction),
            _ => Zeroed(trained, options.Fraction),
        };
        using var pruned = model;
        using var keepZero = options.Method == PruningMethod.Magnitude ? new MagnitudePruning() : null;
        // No pretrained backbone to load again: the pruned weights are the starting point, and the unpruned source is the
        // teacher when distilling. A weight average would be updated before the zeros are restored after each batch, so
        // magnitude pruning fine-tunes without one.
        var tuning = recipe with
        {
            Epochs = options.FineTuneEpochs, LearningRate = recipe.LearningRate / 10, Transfer = null,
            Distill = options.DistillWeight > 0 ? new DistillationOptions { Teacher = source.Id, Temperature = PruningOptions.Temperature, Weight = options.DistillWeight } : null,
            EmaDecay = options.Method == PruningMethod.Magnitude ? null : recipe.EmaDecay,
        };
        var parameters = new Dictionary<string, string>(source.Parameters)
        {
            ["recipe"] = tuning.ToJson(),
            [PrunedFromParameter] = source.Id,
            [PruningParameter] = described,
        };
        parameters.Remove("teacher");
        if (tuning.Distill is not null)
            parameters["teacher"] = source.Id; // lineage, as a distilled run records it
        var dataSource = DataSource.FromParameters(source.Parameters);
        var run = recorder.CreateRun($"{RunNames.Default(spec.Name, dataSource.Data)}-pruned", parameters, dataSource.Hash());
        var target = new RunArtifacts(run.ArtifactsDirectory);
        target.SaveModel(pruned, tuning, data.CsvPolicy); // the pruned weights: a resume before the first checkpoint starts from them
        data.Tokenizer?.Vocabulary.Save(target.VocabularyPath);
        progress.WriteLine($"Run {run.Id}: run {source.Id} pruned ({described}; {before:N0} → {Parameters(pruned):N0} parameters), fine-tuned for {tuning.Epochs} epoch{(tuning.Epochs == 1 ? "" : "s")} at learning rate {tuning.LearningRate:G3}{(tuning.Distill is { } d ? $", distilled from the source (temperature {d.Temperature}, weight {d.Weight})" : "")}.");
        var summary = FitAndEvaluate(run.Id, pruned, tuning.Distill is null ? null : trained, tuning, data, target, resumeFrom: null, TrainingLimits.FromParameters(source.Parameters), clock, cancellationToken,
            keepZero is null ? [] : [keepZero]);
        if (summary.Outcome == RunOutcome.Finished)
            afterFit?.Invoke(data, summary);
        return summary;
    }

    private static (SpecModel, string) Narrowed(SpecModel trained, double fraction)
    {
        var result = ChannelPruning.Prune(trained, fraction);
        return (result.Model, $"channels, fraction {Invariant(fraction)}: {string.Join(", ", result.Changes.Select(c => $"{c.Index:D2}_{c.Type} {c.Before}→{c.After}"))}");
    }

    private static (SpecModel, string) Zeroed(SpecModel trained, double fraction)
    {
        var model = ModelBuilder.Build(trained.Spec); // a model of its own, as Narrowed returns, so the caller disposes both alike
        model.load_state_dict(trained.state_dict());
        MagnitudePruning.Apply(model, fraction);
        return (model, $"magnitude, fraction {Invariant(fraction)}: {MagnitudePruning.Sparsity(model):P1} of the conv2d and dense weights set to zero");
    }

    private static string Invariant(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static long Parameters(SpecModel model) => model.parameters().Sum(p => p.numel());

    /// <summary>Continues an interrupted, failed or crashed run from its last checkpoint, with the data, cleaning and normalisation it started with.</summary>
    public RunSummary Resume(string runIdOrPrefix, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var run = recorder.GetRun(runIdOrPrefix);
        if (run.Finished)
            throw new ArgumentException($"Run {run.Id} already finished; there is nothing to resume. Start a new run with ./anvil train.");
        var artifacts = new RunArtifacts(run.ArtifactsDirectory);
        if (run.Parameters.ContainsKey(AddedSamplesParameter))
            throw new ArgumentException($"Run {run.Id} trained on {run.Parameters[AddedSamplesParameter]} added samples (a retrain's feedback) that are not stored as files, so it cannot be resumed; run the retrain again.");
        var recipe = artifacts.LoadRecipe();
        if (recipe.Gan is not null)
            return new GanRun(recorder, progress, interactive, _extraCallbacks).Resume(run, artifacts, recipe, cancellationToken);
        var spec = artifacts.LoadSpec();
        var limits = TrainingLimits.FromParameters(run.Parameters);
        using var data = LoadAgain(run, artifacts, recipe, spec, progress);
        using var teacherModel = recipe.Distill is { } distill ? DistillationTeacher.Find(recorder, distill.Teacher).Load(data.Train) : null;
        recorder.Resume(run.Id);
        using var model = ModelBuilder.Build(spec);
        var last = Path.Combine(artifacts.CheckpointsDirectory, "last");
        var resumeFrom = Checkpoint.Exists(last) ? last : null;
        if (resumeFrom is null && recipe.Transfer is { } transfer)
            LoadPretrained(transfer).LoadInto(model);
        if (resumeFrom is null && run.Parameters.ContainsKey(PrunedFromParameter))
            model.load(artifacts.WeightsPath); // the pruned weights it was saved with, not a fresh initialisation
        // Magnitude pruning's zeros stay zero: the callback keeps the zeros of the weights it resumes from.
        using var keepZero = run.Parameters.GetValueOrDefault(PruningParameter)?.StartsWith("magnitude", StringComparison.Ordinal) == true ? new MagnitudePruning() : null;
        progress.WriteLine(resumeFrom is null
            ? $"Run {run.Id}: no checkpoint yet, training from the start."
            : $"Run {run.Id}: resuming from its last checkpoint.");
        return FitAndEvaluate(run.Id, model, teacherModel, recipe, data, artifacts, resumeFrom, limits, clock, cancellationToken, keepZero is null ? [] : [keepZero]);
    }

    /// <summary>The run's data, split, cleaned and normalised exactly as when it was trained.</summary>
    public static PreparedData LoadAgain(RecordedRun run, RunArtifacts artifacts, Recipe recipe, ModelSpec spec, TextWriter warnings) =>
        PreparedData.Load(LoadAsFitted(DataSource.FromParameters(run.Parameters), artifacts, recipe, spec, warnings), recipe, TrainingLimits.FromParameters(run.Parameters), spec.Preprocessing);

    /// <summary>
    /// <paramref name="source"/> loaded with what a run fitted: its CSV cleaning policy, and for texts its saved tokenizer
    /// and vocabulary (the same split and the same ids, never a refit). Its normalisation is the caller's to apply.
    /// </summary>
    internal static SourceData LoadAsFitted(DataSource source, RunArtifacts artifacts, Recipe recipe, ModelSpec spec, TextWriter warnings)
    {
        var vocabulary = spec.Tokenizer is null ? null : artifacts.LoadVocabulary();
        return source.Load(recipe with { Text = spec.Tokenizer ?? recipe.Text }, artifacts.LoadCsvPolicy(), warnings, vocabulary);
    }

    /// <summary>Facts the data gives: the default model follows the input kind, and feature vectors get no image augmentation.</summary>
    internal static Recipe FollowData(Recipe recipe, TensorDataset train, bool modelGiven, TextWriter progress)
    {
        if (!modelGiven && ModelChoice.DefaultFor(train) is var model && model != recipe.Model)
        {
            progress.WriteLine($"The data are {(train.IsTokens ? "token ids of texts" : train.Features.dim() == 3 ? "a series" : "feature vectors")}: training the {model} model (choose another with --model).");
            recipe = recipe with { Model = model };
        }
        if (train.Features.dim() != 4 && (recipe.CropPadding > 0 || recipe.Cutout > 0 || recipe.HorizontalFlip || recipe.TestTimeAugmentation))
        {
            progress.WriteLine($"The data are {(train.IsTokens ? "token ids of texts" : train.Features.dim() == 3 ? "a series" : "feature vectors")}, not images: crop, cutout, flip and test-time augmentation are turned off.");
            recipe = recipe with { CropPadding = 0, Cutout = 0, HorizontalFlip = false, TestTimeAugmentation = false };
        }
        return recipe;
    }

    private PretrainedWeights LoadPretrained(TransferOptions transfer) =>
        (pretrained ?? throw new ArgumentException("This command cannot read pretrained weights; train a recipe with a \"transfer\" section with ./anvil train."))
            .Load(transfer.Pretrained);

    /// <summary>The recipe trains the backbone the weights fill, on images read at the transfer's size (image folders are resized on load, as serving resizes).</summary>
    private static Recipe ForBackbone(Recipe recipe, PretrainedWeights weights, bool modelGiven)
    {
        if (modelGiven && recipe.Model != weights.Backbone)
            throw new ArgumentException($"Pretrained weights '{weights.Source}' fill the {weights.Backbone} model, but the recipe trains '{recipe.Model}'; set \"model\": \"{weights.Backbone}\" or leave it out.");
        var size = recipe.Transfer!.ImageSize;
        return recipe with { Model = weights.Backbone, Resize = $"{size}x{size}" };
    }

    private RunSummary FitAndEvaluate(string runId, SpecModel model, SpecModel? teacher, Recipe recipe, PreparedData data, RunArtifacts artifacts,
        string? resumeFrom, TrainingLimits limits, Stopwatch clock, CancellationToken cancellationToken, IReadOnlyList<Callback>? more = null)
    {
        var monitor = data.Validation is null ? "loss" : "val_loss";
        // Checkpoint and record before the progress line is printed, so what the user sees is already saved.
        var callbacks = new List<Callback>
        {
            new NanGuard(),
            new ModelCheckpoint(artifacts.CheckpointsDirectory, monitor),
            new EpochRecorder(recorder, runId),
            new ProgressBar(progress, interactive),
        };
        if (limits.Patience is { } patience)
            callbacks.Add(new EarlyStopping(monitor, patience));
        if (recipe.Transfer is { Groups.Count: > 0 } transfer)
            callbacks.Insert(0, new LayerFreezing(transfer.Groups, progress));
        callbacks.AddRange(more ?? []);
        callbacks.AddRange(_extraCallbacks);
        using var privacy = recipe.Privacy is { } budget ? DpSgdStep.Create(model, ITrainingStep.For(data.Train.Task, recipe), budget, recipe, data.Train.Count) : null;
        if (privacy is not null)
        {
            callbacks.Insert(0, new PrivacyBudget(privacy));
            progress.WriteLine($"DP-SGD: ε = {privacy.Options.Epsilon} at δ = {privacy.Options.Delta:G3} over {recipe.Epochs} epochs: noise multiplier σ = {privacy.NoiseMultiplier:F3}, sampling rate q = {privacy.SamplingRate:G3}, clipping norm C = {privacy.Options.MaxGradNorm}.");
            if (privacy.LoopsOverExamples)
            {
                var why = PerSampleGradients.LoopForced ? $"{PerSampleGradients.LoopVariable}=1 asks for it" : "the model has layers (1-d or transposed convolutions, layer norm, residual blocks, …) without batched per-example gradients";
                progress.WriteLine($"DP-SGD: {why}, so each example gets its own forward and backward pass: exact, and slower by about the batch size.");
            }
        }
        using var adversarial = recipe.Adversarial is { } attack ? AdversarialStep.Create(model, ITrainingStep.For(data.Train.Task, recipe), attack) : null;
        if (adversarial is not null)
            progress.WriteLine($"Adversarial training: {AdversarialStep.Describe(adversarial.Options)}; the epochs' accuracy is on the attacked batches.");
        ITrainingStep? step = teacher is null ? (ITrainingStep?)privacy ?? adversarial : new DistillationStep(teacher, recipe.Distill!.Temperature, recipe.Distill.Weight, recipe.LabelSmoothing);
        var (result, stopped) = RecordedFit.Run(recorder, runId, artifacts, () => new Trainer(model, recipe, callbacks, step).Fit(data.Train, data.Validation, resumeFrom, cancellationToken));
        if (stopped is not null)
            return stopped;
        model.save(artifacts.WeightsPath);
        if (callbacks.OfType<IEndsWithoutTest>().Any(c => c.EndsWithoutTest))
            return FinishWithoutTest(runId, recipe, data, result, artifacts, clock);
        if (data.Train.Task == TaskKind.Regression)
            return FinishForecast(runId, model, recipe, data, artifacts, result, clock);
        var test = TestEvaluation.Run(model, data.Test, recipe.TestTimeAugmentation, progress, interactive);
        // Texts: the model's binary figures beside a bag-of-words baseline trained on the same split.
        var figures = data.Tokenizer is not null ? TextBaseline.Compare(recipe, data, test.SingleView, progress, cancellationToken)
            : recipe.Transfer is { Scratch: true } ? ScratchBaseline.Compare(model.Spec, recipe, data, progress, interactive, cancellationToken)
            : null;
        var summary = RunSummary.Finished(runId, artifacts.Directory, result, test, recipe.SamplesPerEpoch(data.Train.Count), clock.Elapsed) with { Figures = figures?.ToDictionary(f => f.Key, f => (object)f.Value) };
        var metrics = test.ToMetrics(data.Test.ClassNames);
        foreach (var (name, value) in figures ?? [])
            metrics[name] = value;
        if (privacy is not null)
        {
            foreach (var (name, value) in privacy.ToFigures())
                metrics[name] = value;
            summary = summary with { Figures = new Dictionary<string, object>(summary.Figures ?? []) { ["dp_epsilon"] = privacy.EpsilonSpent, ["dp_delta"] = privacy.Options.Delta } };
        }
        foreach (var (name, value) in adversarial?.ToFigures() ?? new Dictionary<string, double>())
            metrics[name] = value;
        summary.AddTrainingFigures(metrics);
        artifacts.SaveEvaluation(test.SingleView, data.Test.ClassNames, metrics, evaluation: false);
        recorder.LogMetrics(runId, metrics);
        recorder.LogEvaluation(runId, EvaluationDocument.ToJson(test.SingleView, data.Test.ClassNames));
        recorder.Finish(runId, RunOutcome.Finished);
        return summary;
    }

    // A pruned trial: what training cost is recorded, the test set stays untouched.
    private RunSummary FinishWithoutTest(string runId, Recipe recipe, PreparedData data, TrainingResult result, RunArtifacts artifacts, Stopwatch clock)
    {
        var summary = RunSummary.Pruned(runId, artifacts.Directory, result, recipe.SamplesPerEpoch(data.Train.Count), clock.Elapsed);
        var metrics = new Dictionary<string, double>();
        summary.AddTrainingFigures(metrics);
        recorder.LogMetrics(runId, metrics);
        recorder.Finish(runId, RunOutcome.Finished);
        progress.WriteLine($"Run {runId}: {result.StopReason ?? "stopped"}; no test evaluation.");
        return summary;
    }

    // A regressor has no classes: MAE and RMSE in the original unit beside the seasonal-naive baseline, and a forecast plot.
    private RunSummary FinishForecast(string runId, SpecModel model, Recipe recipe, PreparedData data, RunArtifacts artifacts, TrainingResult result, Stopwatch clock)
    {
        var metrics = ForecastEvaluation.Run(model, data, artifacts.ForecastPng(evaluation: false), progress, interactive);
        var summary = RunSummary.Forecasted(runId, artifacts.Directory, result, metrics, recipe.SamplesPerEpoch(data.Train.Count), clock.Elapsed);
        summary.AddTrainingFigures(metrics);
        artifacts.SaveMetrics(metrics, evaluation: false);
        recorder.LogMetrics(runId, metrics);
        recorder.Finish(runId, RunOutcome.Finished);
        return summary;
    }
}
