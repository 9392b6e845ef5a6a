using System.Diagnostics;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Transforms;
using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Training.Training;

/// <summary>
/// Trains a <see cref="SpecModel"/> on in-memory data following a <see cref="Recipe"/>: shuffled
/// mini-batches, batch augmentation, the recipe's optimizer and learning-rate schedule, weight EMA
/// and per-epoch validation, with the loss and figures of the data's task (<see cref="ITrainingStep"/>);
/// callbacks do everything else (progress, early stopping, checkpoints, NaN guard). Each step runs in its own dispose scope,
/// so the number of live tensors stays flat across epochs.
/// </summary>
/// <example>
/// <code>
/// var trainer = new Trainer(model, Recipe.Default, [new ProgressBar(Console.Error)]);
/// var result = trainer.Fit(train, validation);
/// </code>
/// </example>
public sealed class Trainer
{
    private readonly SpecModel _model;
    private readonly Recipe _recipe;
    private readonly IReadOnlyList<Callback> _callbacks;
    private readonly ITrainingStep? _step;

    /// <param name="model">The model to train.</param>
    /// <param name="recipe">How to train it.</param>
    /// <param name="callbacks">Progress, early stopping, checkpoints and the like.</param>
    /// <param name="step">The loss and figures, e.g. a <see cref="DistillationStep"/>; null takes the data's task's (<see cref="ITrainingStep.For"/>).</param>
    public Trainer(SpecModel model, Recipe recipe, IEnumerable<Callback>? callbacks = null, ITrainingStep? step = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(recipe);
        recipe.Validate();
        TorchRuntime.Initialize();
        if (recipe.Threads is { } threads)
            set_num_threads(threads);
        _model = model;
        _recipe = recipe;
        _callbacks = callbacks?.ToArray() ?? [];
        _step = step;
    }

    /// <summary>Runs the fit. Data must already be preprocessed (normalised).</summary>
    /// <param name="train">Training split.</param>
    /// <param name="validation">Validation split, or null to skip per-epoch validation.</param>
    /// <param name="resumeFrom">A checkpoint directory to continue from, or null to start fresh.</param>
    /// <param name="cancellationToken">Checked once per batch; cancelling ends the fit after the current batch.</param>
    public TrainingResult Fit(TensorDataset train, TensorDataset? validation = null, string? resumeFrom = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        CheckShape(train, "training");
        ConvolutionGradientCheck.EnsureTrainable(_model.Spec);
        if (validation is not null)
            CheckShape(validation, "validation");
        var batchesPerEpoch = _recipe.BatchesPerEpoch(train.Count);
        var step = _step ?? ITrainingStep.For(train.Task, _recipe);
        using var optimizer = step.CreateOptimizer(_model, _recipe);
        var peak = optimizer.ParamGroups.First().LearningRate; // the recipe's, or a step's own (a GAN generator's); read before a restore overwrites it
        double[] factors = [.. optimizer.ParamGroups.Select(g => g.LearningRate / peak)]; // transfer layer groups' discriminative rates; 1 otherwise
        var ema = _recipe.EmaDecay is { } decay ? new WeightEma(_model, decay) : null;
        var context = new TrainingContext(_model, optimizer, _recipe, batchesPerEpoch, _recipe.SamplesPerEpoch(train.Count), ema, step);
        if (resumeFrom is not null)
        {
            var state = Checkpoint.Restore(resumeFrom, context);
            context.History.AddRange(state.History);
            context.GlobalStep = state.GlobalStep;
            context.FirstEpoch = state.Epoch + 1;
        }
        var schedule = new LearningRateSchedule(_recipe.Schedule, peak, (long)batchesPerEpoch * _recipe.Epochs, _recipe.WarmupFraction);
        context.LearningRateFactors = factors;
        var augmentations = Augmentations();
        var stopwatch = Stopwatch.StartNew();
        foreach (var callback in _callbacks)
            callback.OnTrainBegin(context);
        for (var epoch = context.FirstEpoch; epoch <= _recipe.Epochs && !context.StopTraining; epoch++)
        {
            context.Epoch = epoch;
            foreach (var callback in _callbacks)
                callback.OnEpochBegin(context);
            var metrics = RunEpoch(context, step, train, validation, schedule, augmentations, cancellationToken);
            if (metrics is null)
                break; // cancelled mid-epoch: the last checkpoint is the previous epoch's
            context.History.Add(metrics);
            foreach (var callback in _callbacks)
                callback.OnEpochEnd(context, metrics);
        }
        foreach (var callback in _callbacks)
            callback.OnTrainEnd(context);
        if (ema is not null)
        {
            _model.load_state_dict(ema.Model.state_dict()); // the averaged weights are the result
            ema.Dispose();
        }
        var cancelled = cancellationToken.IsCancellationRequested;
        return new TrainingResult(context.History.ToArray(), stopwatch.Elapsed, cancelled, context.Diverged, context.StopReason, context.FirstEpoch);
    }

    private EpochMetrics? RunEpoch(TrainingContext context, ITrainingStep step, TensorDataset train, TensorDataset? validation,
        LearningRateSchedule schedule, IBatchTransform[] augmentations, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // Seeded per epoch, so a resumed run sees the same order and augmentation as an uninterrupted one.
        using var generator = new Generator((ulong)(_recipe.Seed * 1000 + context.Epoch));
        using var order = randperm(train.Count, generator: generator);
        _model.train();
        double lossSum = 0;
        long seen = 0;
        for (var batch = 0; batch < context.BatchesPerEpoch; batch++)
        {
            if (cancellationToken.IsCancellationRequested)
                return null;
            using var scope = NewDisposeScope();
            var start = batch * _recipe.BatchSize;
            var indices = step is IBatchSampler sampler
                ? sampler.DrawBatch(train.Count)
                : order.narrow(0, start, Math.Min(_recipe.BatchSize, train.Count - start));
            var inputs = train.Features.index_select(0, indices); // (B, ...)
            var targets = train.Targets.index_select(0, indices); // (B) labels or (B, K) values
            if (inputs.shape[0] > 0)
            {
                foreach (var augmentation in augmentations)
                    inputs = augmentation.Apply(inputs, generator);
            }
            OptimizerFactory.SetLearningRate(context.Optimizer, schedule.At(context.GlobalStep), context.LearningRateFactors);
            var batchLoss = step.TrainBatch(_model, context.Optimizer, inputs, targets, generator);
            context.Ema?.Update();
            context.GlobalStep++;
            var batchSize = targets.shape[0];
            lossSum += batchLoss * batchSize;
            seen += batchSize;
            foreach (var callback in _callbacks)
                callback.OnBatchEnd(context, batch, batchLoss);
            if (context.StopTraining)
                break;
        }
        var trained = step.Compute();
        double? validationLoss = null;
        IReadOnlyDictionary<string, double> validated = new Dictionary<string, double>();
        if (validation is not null)
            (validationLoss, validated) = step.Validate(context.Ema?.Model ?? _model, validation);
        var figures = trained.Concat(validated).Where(m => m.Key is not ("accuracy" or "val_accuracy")).ToDictionary();
        return new EpochMetrics(context.Epoch, lossSum / Math.Max(1, seen), trained.TryGetValue("accuracy", out var accuracy) ? accuracy : null,
            validationLoss, validated.TryGetValue("val_accuracy", out var validationAccuracy) ? validationAccuracy : null,
            schedule.At(context.GlobalStep - 1), Stopwatch.GetElapsedTime(started).TotalSeconds)
        {
            LiveTensors = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount,
            TaskMetrics = figures,
        };
    }

    private IBatchTransform[] Augmentations()
    {
        var list = new List<IBatchTransform>();
        if (_recipe.HorizontalFlip)
            list.Add(new HorizontalFlip());
        if (_recipe.CropPadding > 0)
            list.Add(new RandomCrop(_recipe.CropPadding));
        if (_recipe.Cutout > 0)
            list.Add(new RandomErasing(_recipe.Cutout));
        if (list.Count > 0 && _model.Spec.InputShape.Length != 3)
            throw new ArgumentException($"Flip, crop and cutout augmentation need image inputs [C, H, W]; model '{_model.Spec.Name}' takes [{string.Join(", ", _model.Spec.InputShape)}]. Set crop_padding and cutout to 0 and horizontal_flip to false.");
        return list.ToArray();
    }

    private void CheckShape(TensorDataset data, string split)
    {
        // A generator learns to make the data's samples, so they have its output's shape.
        var generator = _model.Spec.Head == TaskKind.Generation;
        var expected = generator ? ModelBuilder.InferOutputShape(_model.Spec) : _model.Spec.InputShape.Select(d => (long)d).ToArray();
        if (!data.SampleShape.SequenceEqual(expected))
            throw new ArgumentException($"The {split} data has samples of shape [{string.Join(", ", data.SampleShape)}] but model '{_model.Spec.Name}' {(generator ? "generates" : "expects")} [{string.Join(", ", expected)}].");
        if (generator)
            return;
        if (data.TargetNames.Count != _model.Spec.ClassNames.Length)
            throw new ArgumentException($"The {split} data has {data.TargetNames.Count} {(data.Task == TaskKind.Classification ? "classes" : "targets")} but model '{_model.Spec.Name}' outputs {_model.Spec.ClassNames.Length}.");
    }
}
