using Anvil.Training.Data;
using Anvil.Training.Metrics;
using Anvil.Training.Models;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Anvil.Training.Training;

/// <summary>
/// DCGAN's alternating step (Radford et al. 2016) as a training step of the <see cref="Trainer"/>, whose model is
/// the generator. Each batch: the discriminator learns real images → 1 and generated ones → 0 (binary cross-entropy
/// on logits), then the generator learns to make the discriminator say 1 (the non-saturating loss). The discriminator
/// and its optimizer belong to the step and are saved in checkpoints beside the generator's. The epoch's loss is the
/// generator's; validation scores generated images with a <see cref="GanJudge"/>.
/// </summary>
/// <example>
/// <code>
/// var step = new GanStep(discriminator, recipe.Gan!, judge);
/// new Trainer(generator, recipe, callbacks, step).Fit(trainImages, testImages);
/// </code>
/// </example>
/// <param name="discriminator">Image → one logit ("real"); the caller owns and disposes it.</param>
/// <param name="options">The recipe's gan section.</param>
/// <param name="judge">Scores generated images each epoch; null validates with the generator loss alone.</param>
public sealed class GanStep(SpecModel discriminator, GanOptions options, GanJudge? judge) : ITrainingStep, IDisposable
{
    private const string DiscriminatorWeights = "discriminator.weights", DiscriminatorOptimizer = "discriminator_optimizer.state";
    private OptimizerHelper? _discriminatorOptimizer;
    private double _discriminatorLoss, _realScore, _fakeScore;
    private long _seen;

    /// <summary>The discriminator being trained.</summary>
    public SpecModel Discriminator { get; } = discriminator;

    /// <summary>The generator's Adam; also creates the discriminator's, each with its own settings.</summary>
    public OptimizerHelper CreateOptimizer(SpecModel model, Recipe recipe)
    {
        ArgumentNullException.ThrowIfNull(model);
        _discriminatorOptimizer?.Dispose();
        _discriminatorOptimizer = options.Discriminator!.Create(Discriminator);
        return options.Generator!.Create(model);
    }

    /// <summary>The generator's non-saturating loss: binary cross-entropy of the discriminator's logits on <paramref name="outputs"/> (generated images) against "real".</summary>
    public Tensor Loss(Tensor inputs, Tensor outputs, Tensor targets)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        using var scope = NewDisposeScope();
        var logits = Discriminator.forward(outputs); // (B, 1)
        return binary_cross_entropy_with_logits(logits, ones_like(logits)).MoveToOuterDisposeScope();
    }

    /// <summary>One discriminator step, then one generator step, on the same generated batch.</summary>
    public float TrainBatch(SpecModel model, OptimizerHelper optimizer, Tensor inputs, Tensor targets, Generator random)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(inputs);
        var discriminatorOptimizer = _discriminatorOptimizer ?? throw new InvalidOperationException("CreateOptimizer must run before TrainBatch.");
        FollowSchedule(optimizer, discriminatorOptimizer);
        var batch = inputs.shape[0];
        using var noise = randn([batch, options.Noise, 1, 1], generator: random); // (B, Z, 1, 1)
        model.train();
        Discriminator.train();
        var fake = model.forward(noise); // (B, C, H, W) in [-1, 1]

        discriminatorOptimizer.zero_grad();
        var realLogits = Discriminator.forward(inputs); // (B, 1)
        var fakeLogits = Discriminator.forward(fake.detach()); // (B, 1)
        var discriminatorLoss = binary_cross_entropy_with_logits(realLogits, ones_like(realLogits))
            .add(binary_cross_entropy_with_logits(fakeLogits, zeros_like(fakeLogits)));
        discriminatorLoss.backward();
        discriminatorOptimizer.step();

        optimizer.zero_grad();
        var generatorLoss = Loss(inputs, fake, targets);
        generatorLoss.backward();
        optimizer.step();

        using (no_grad())
        {
            _discriminatorLoss += discriminatorLoss.item<float>() * batch;
            _realScore += realLogits.sigmoid().sum().item<float>();
            _fakeScore += fakeLogits.sigmoid().sum().item<float>();
            _seen += batch;
        }
        return generatorLoss.item<float>();
    }

    /// <inheritdoc />
    public void Update(Tensor outputs, Tensor targets)
    {
    }

    /// <summary>The epoch's discriminator loss and its mean probability of "real" on real and on generated images, then starts over.</summary>
    public IReadOnlyDictionary<string, double> Compute()
    {
        var n = Math.Max(1, _seen);
        var figures = new Dictionary<string, double>
        {
            ["discriminator_loss"] = _discriminatorLoss / n,
            ["d_real"] = _realScore / n,
            ["d_fake"] = _fakeScore / n,
        };
        (_discriminatorLoss, _realScore, _fakeScore, _seen) = (0, 0, 0, 0);
        return figures;
    }

    /// <summary>The generator loss on the judge's fixed noise, with the Fréchet distance and class coverage against <paramref name="data"/>'s real images.</summary>
    public (double Loss, IReadOnlyDictionary<string, double> Metrics) Validate(SpecModel model, TensorDataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        model.eval();
        Discriminator.eval();
        using var noGrad = no_grad();
        var noise = GanJudge.Noise(Math.Min(options.Samples, 512), options.Noise, seed: 7); // (N, Z, 1, 1)
        var loss = Loss(noise, model.forward(noise), noise).item<float>();
        var metrics = judge is null ? new Dictionary<string, double>() : judge.Score(model, data, options.Noise).ToMetrics();
        return (loss, metrics);
    }

    /// <inheritdoc />
    public void SaveState(string directory)
    {
        Discriminator.save(Path.Combine(directory, DiscriminatorWeights));
        _discriminatorOptimizer?.save_state_dict(Path.Combine(directory, DiscriminatorOptimizer));
    }

    /// <inheritdoc />
    public void RestoreState(string directory)
    {
        Discriminator.load(Path.Combine(directory, DiscriminatorWeights));
        _discriminatorOptimizer?.load_state_dict(Path.Combine(directory, DiscriminatorOptimizer));
    }

    /// <summary>The discriminator's rate follows the generator's schedule: the same fraction of its own peak.</summary>
    private void FollowSchedule(OptimizerHelper generatorOptimizer, OptimizerHelper discriminatorOptimizer)
    {
        var fraction = generatorOptimizer.ParamGroups.First().LearningRate / options.Generator!.LearningRate;
        OptimizerFactory.SetLearningRate(discriminatorOptimizer, options.Discriminator!.LearningRate * fraction);
    }

    public void Dispose() => _discriminatorOptimizer?.Dispose();
}
