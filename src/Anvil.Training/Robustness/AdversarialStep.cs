using System.Globalization;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Training;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
using static TorchSharp.torch;

namespace Anvil.Training.Robustness;

/// <summary>
/// Adversarial training around a classifier's step: each batch is perturbed by <see cref="AdversarialAttack"/> within the
/// recipe's ε-ball (pixels scaled to [0, 1] and clamped there) and the model trains on the perturbed batch only (Madry et
/// al. 2018 with PGD; Wong et al. 2020 with FGSM from a random start). The attack runs in eval mode: batch norm uses its
/// running statistics and is not updated by the attack's forward passes, and dropout does not change the function the
/// attack climbs; the update itself runs in train mode. The epoch's <c>accuracy</c> is therefore on the adversarial batches;
/// validation stays clean. Random starts come from the epoch's seeded generator, so a resumed run draws the same ones.
/// </summary>
/// <example>
/// <code>
/// using var step = AdversarialStep.Create(model, ITrainingStep.For(TaskKind.Classification, recipe), recipe.Adversarial!);
/// new Trainer(model, recipe, [], step).Fit(train);
/// </code>
/// </example>
public sealed class AdversarialStep : ITrainingStep, IDisposable
{
    private readonly ITrainingStep _task;
    private readonly PixelSpace _space;

    private AdversarialStep(ITrainingStep task, PixelSpace space, AdversarialOptions options)
    {
        (_task, _space, Options) = (task, space, options);
        Attack = options.ToAttack();
    }

    /// <summary>The recipe's section.</summary>
    public AdversarialOptions Options { get; }

    /// <summary>The attack each batch is perturbed with (steps and step size resolved).</summary>
    public Attack Attack { get; }

    /// <summary>The step for <paramref name="model"/>, whose spec carries the preprocessing that maps its inputs to pixels.</summary>
    public static AdversarialStep Create(SpecModel model, ITrainingStep task, AdversarialOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(task);
        var preprocessing = Refuse(model.Spec, options);
        return new AdversarialStep(task, new PixelSpace(preprocessing, model.Spec.InputShape[0]), options);
    }

    /// <summary>Throws the error training would for this spec, section and data, before anything is trained or recorded.</summary>
    public static void Check(ModelSpec spec, AdversarialOptions options, TensorDataset train)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Features.dim() != 4 || train.Task != TaskKind.Classification)
            throw new ArgumentException("Adversarial training is for image classifiers (inputs of channels × height × width); these data are not images to classify. Remove --adv-epsilon or the recipe's \"adversarial\" section.");
        Refuse(spec, options);
    }

    private static PreprocessingSpec Refuse(ModelSpec spec, AdversarialOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (spec.InputShape.Length != 3 || spec.Head != TaskKind.Classification)
            throw new ArgumentException($"Adversarial training is for image classifiers; model '{spec.Name}' takes [{string.Join(", ", spec.InputShape)}]. Remove the recipe's \"adversarial\" section.");
        ConvolutionGradientCheck.EnsureTrainable(spec, inputGradient: true);
        return spec.Preprocessing ?? throw new ArgumentException($"Model '{spec.Name}' records no preprocessing, so its inputs cannot be mapped to pixels in [0, 1] to attack.");
    }

    /// <inheritdoc />
    public float TrainBatch(SpecModel model, OptimizerHelper optimizer, Tensor inputs, Tensor targets, Generator random)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        var x = Perturb(model, inputs, targets, random);
        model.train();
        optimizer.zero_grad(); // the attack took gradients w.r.t. its input only (autograd.grad); no parameter's .grad holds them
        var outputs = model.forward(x); // (B, K)
        var loss = _task.Loss(x, outputs, targets);
        loss.backward();
        optimizer.step();
        _task.Update(outputs.detach(), targets);
        return loss.item<float>();
    }

    /// <summary>The batch the model trains on: <paramref name="inputs"/> attacked in eval mode, normalised again. Leaves the model in eval mode.</summary>
    /// <param name="inputs">(B, C, H, W) normalised images.</param>
    /// <param name="targets">(B) int64 labels.</param>
    /// <param name="random">Where the random starts come from.</param>
    public Tensor Perturb(SpecModel model, Tensor inputs, Tensor targets, Generator random)
    {
        ArgumentNullException.ThrowIfNull(model);
        model.eval();
        var pixels = _space.ToPixels(inputs); // (B, C, H, W) in [0, 1]
        return _space.ToInputs(AdversarialAttack.Perturb(x => model.forward(_space.ToInputs(x)), pixels, targets, Attack, random));
    }

    /// <inheritdoc />
    public Tensor Loss(Tensor inputs, Tensor outputs, Tensor targets) => _task.Loss(inputs, outputs, targets);

    /// <inheritdoc />
    public void Update(Tensor outputs, Tensor targets) => _task.Update(outputs, targets);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Compute() => _task.Compute();

    /// <inheritdoc />
    public (double Loss, IReadOnlyDictionary<string, double> Metrics) Validate(SpecModel model, TensorDataset data) => _task.Validate(model, data);

    /// <summary>The attack's numbers a run records as metrics (method and norm are in its recipe and its <c>adversarial</c> parameter).</summary>
    public IReadOnlyDictionary<string, double> ToFigures() => new Dictionary<string, double>
    {
        ["adversarial_epsilon"] = Attack.Epsilon,
        ["adversarial_steps"] = Attack.Steps,
        ["adversarial_step_size"] = Attack.StepSize,
        ["adversarial_random_start"] = Attack.RandomStart ? 1 : 0,
    };

    /// <summary>One line, e.g. "pgd linf ε 0.1: random start, 7 steps of 0.0357".</summary>
    public static string Describe(AdversarialOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var attack = options.ToAttack();
        return string.Create(CultureInfo.InvariantCulture,
            $"{options.Method} {options.Norm} ε {attack.Epsilon}: {(attack.RandomStart ? "random start" : "clean start")}, {attack.Steps} step{(attack.Steps == 1 ? "" : "s")} of {attack.StepSize:G3}");
    }

    public void Dispose() => _space.Dispose();
}
