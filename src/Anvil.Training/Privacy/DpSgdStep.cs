using System.Security.Cryptography;
using System.Text.Json;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Training;
using OptimizerHelper = TorchSharp.Modules.OptimizerHelper;
using static TorchSharp.torch;

namespace Anvil.Training.Privacy;

/// <summary>
/// DP-SGD (Abadi et al. 2016) around a task's step: each batch is drawn by Poisson sampling (every example independently
/// with probability q), each example's gradient is clipped to C, the sum gets Gaussian noise N(0, σ²C²) and is divided by
/// the expected batch size qN, then the recipe's optimizer steps. Sampling and noise come from a generator seeded from the
/// operating system's secure random source, never from the recipe's seed: noise that others can replay protects nothing.
/// The steps taken are saved with the checkpoint, so a resumed run keeps spending the same budget.
/// </summary>
/// <example>
/// <code>
/// var step = DpSgdStep.Create(model, ITrainingStep.For(TaskKind.Classification, recipe), recipe.Privacy!, recipe, train.Count);
/// new Trainer(model, recipe, [new PrivacyBudget(step)], step).Fit(train);
/// </code>
/// </example>
public sealed class DpSgdStep : ITrainingStep, IBatchSampler, IDisposable
{
    private const string StateFile = "privacy.json";
    private readonly ITrainingStep _task;
    private readonly PerSampleGradients _gradients;
    private readonly Generator _secret = new(BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)));
    private readonly double[] _rdpPerStep; // at RdpAccountant.DefaultOrders; steps compose by adding

    private DpSgdStep(ITrainingStep task, PerSampleGradients gradients, PrivacyOptions options, double noiseMultiplier, double samplingRate, int examples)
    {
        (_task, _gradients, Options, NoiseMultiplier, SamplingRate, Examples) = (task, gradients, options, noiseMultiplier, samplingRate, examples);
        _rdpPerStep = RdpAccountant.DefaultOrders.Select(order => RdpAccountant.Rdp(samplingRate, noiseMultiplier, order)).ToArray();
    }

    /// <summary>The budget and clipping norm.</summary>
    public PrivacyOptions Options { get; }
    /// <summary>σ: the noise's standard deviation over the clipping norm.</summary>
    public double NoiseMultiplier { get; }
    /// <summary>q: the chance that a batch holds a given example (batch size / examples).</summary>
    public double SamplingRate { get; }
    /// <summary>N: the training examples sampled from.</summary>
    public int Examples { get; }
    /// <summary>True when each example gets its own forward and backward pass (layers without batched per-example gradients).</summary>
    public bool LoopsOverExamples => _gradients.Looped;
    /// <summary>Noisy steps taken, including those before a resume.</summary>
    public long Steps { get; private set; }

    /// <summary>ε spent so far at the budget's δ.</summary>
    public double EpsilonSpent => EpsilonAfter(Steps);

    /// <summary>ε after <paramref name="steps"/> steps at the budget's δ.</summary>
    public double EpsilonAfter(long steps) =>
        RdpAccountant.ToEpsilon(RdpAccountant.DefaultOrders, _rdpPerStep.Select(r => r * steps).ToArray(), Options.Delta).Epsilon;

    /// <summary>The step for a fit of <paramref name="recipe"/>'s epochs over <paramref name="examples"/> examples, with the noise that spends exactly the budget.</summary>
    public static DpSgdStep Create(SpecModel model, ITrainingStep task, PrivacyOptions options, Recipe recipe, int examples)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var gradients = Refuse(model, options, examples);
        var q = Math.Min(1.0, (double)recipe.BatchSize / examples);
        var steps = (long)recipe.Epochs * recipe.BatchesPerEpoch(examples);
        var sigma = RdpAccountant.NoiseMultiplier(options.Epsilon!.Value, options.Delta, q, steps);
        return new DpSgdStep(task, gradients, options, sigma, q, examples);
    }

    /// <summary>Throws the error <see cref="Create"/> would for this spec, budget and number of examples, without training anything.</summary>
    public static void Check(ModelSpec spec, PrivacyOptions options, int examples)
    {
        using var scope = NewDisposeScope();
        using var model = ModelBuilder.Build(spec);
        Refuse(model, options, examples);
    }

    // What makes a budget or a model unfit for DP-SGD, as one error; the per-example gradients when nothing does.
    private static PerSampleGradients Refuse(SpecModel model, PrivacyOptions options, int examples)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        options.CheckDelta(examples);
        return PerSampleGradients.For(model);
    }

    /// <summary>One Poisson-sampled batch: the indices of the examples drawn, (B) int64, B varying around qN.</summary>
    public Tensor DrawBatch(int count) => rand(count == Examples ? count : throw new ArgumentException($"DP-SGD was set up for {Examples} examples, not {count}.", nameof(count)), generator: _secret).lt(SamplingRate).nonzero().squeeze(1);

    /// <inheritdoc />
    public float TrainBatch(SpecModel model, OptimizerHelper optimizer, Tensor inputs, Tensor targets, Generator random)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(inputs);
        optimizer.zero_grad();
        var batch = inputs.shape[0];
        var expected = SamplingRate * Examples; // dividing by the expected size, not the drawn one, keeps the sensitivity C / qN
        var clip = Options.MaxGradNorm;
        float loss = 0;
        IReadOnlyList<(TorchSharp.Modules.Parameter Parameter, Tensor Sum)> sums;
        if (batch > 0)
        {
            sums = _gradients.ClippedSum(inputs, targets, _task.Loss, clip, out var outputs, out loss, out _);
            _task.Update(outputs.detach(), targets);
        }
        else
        {
            sums = _gradients.Parameters.Select(p => (p, zeros_like(p))).ToList(); // an empty draw still releases noise
        }
        using (no_grad())
        {
            foreach (var (parameter, sum) in sums)
                parameter.grad = (sum + randn(parameter.shape, generator: _secret) * (NoiseMultiplier * clip)) / expected;
            foreach (var embedding in _gradients.Embeddings)
                embedding.grad![InputKinds.PadId].zero_(); // the pad id's vector stays zero: its gradient is always 0, so it needs no noise
        }
        optimizer.step();
        Steps++;
        return loss;
    }

    /// <inheritdoc />
    public Tensor Loss(Tensor inputs, Tensor outputs, Tensor targets) => _task.Loss(inputs, outputs, targets);

    /// <inheritdoc />
    public void Update(Tensor outputs, Tensor targets) => _task.Update(outputs, targets);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Compute() =>
        new Dictionary<string, double>(_task.Compute()) { ["dp_epsilon"] = EpsilonSpent };

    /// <inheritdoc />
    public (double Loss, IReadOnlyDictionary<string, double> Metrics) Validate(SpecModel model, TensorDataset data) => _task.Validate(model, data);

    /// <inheritdoc />
    public void SaveState(string directory) =>
        File.WriteAllText(Path.Combine(directory, StateFile), JsonSerializer.Serialize(new Dictionary<string, long> { ["steps"] = Steps }));

    /// <inheritdoc />
    public void RestoreState(string directory)
    {
        var path = Path.Combine(directory, StateFile);
        if (!File.Exists(path))
            throw new InvalidDataException($"Checkpoint {directory} has no {StateFile}: it was not written by a DP-SGD run, so the privacy spent before it is unknown. Start a new run.");
        var state = JsonSerializer.Deserialize<Dictionary<string, long>>(File.ReadAllText(path));
        Steps = state is not null && state.TryGetValue("steps", out var steps) && steps >= 0
            ? steps
            : throw new InvalidDataException($"{path} does not hold a step count; start a new run.");
    }

    /// <summary>The figures a run records as metrics: ε spent, its budget, δ, σ, q and C.</summary>
    public IReadOnlyDictionary<string, double> ToFigures() => new Dictionary<string, double>
    {
        ["dp_epsilon"] = EpsilonSpent,
        ["dp_epsilon_budget"] = Options.Epsilon!.Value,
        ["dp_delta"] = Options.Delta,
        ["dp_noise_multiplier"] = NoiseMultiplier,
        ["dp_sampling_rate"] = SamplingRate,
        ["dp_max_grad_norm"] = Options.MaxGradNorm,
        ["dp_steps"] = Steps,
    };

    public void Dispose() => _secret.Dispose();
}
