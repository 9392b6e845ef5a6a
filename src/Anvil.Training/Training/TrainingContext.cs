using Anvil.Training.Models;
using TorchSharp.Modules;

namespace Anvil.Training.Training;

/// <summary>What callbacks see of a running fit, and the flag they set to stop it.</summary>
public sealed class TrainingContext
{
    internal TrainingContext(SpecModel model, OptimizerHelper optimizer, Recipe recipe, int batchesPerEpoch, int sampleCount, WeightEma? ema, ITrainingStep step)
    {
        Step = step;
        Model = model;
        Optimizer = optimizer;
        Recipe = recipe;
        BatchesPerEpoch = batchesPerEpoch;
        SampleCount = sampleCount;
        Ema = ema;
    }

    public SpecModel Model { get; }
    /// <summary>The loss and figures of the fit; it may train more than <see cref="Model"/> (a GAN's discriminator), which checkpoints save through it.</summary>
    public ITrainingStep Step { get; }
    public OptimizerHelper Optimizer { get; }
    public Recipe Recipe { get; }
    /// <summary>Averaged weights when the recipe enables weight EMA; what validation and the final model use.</summary>
    public WeightEma? Ema { get; }
    public int BatchesPerEpoch { get; }
    /// <summary>Training samples per epoch.</summary>
    public int SampleCount { get; }
    /// <summary>1-based epoch being trained (or just finished).</summary>
    public int Epoch { get; internal set; }
    /// <summary>Epoch the fit started from (1, or the one after a resumed checkpoint).</summary>
    public int FirstEpoch { get; internal set; } = 1;
    /// <summary>Optimizer steps taken so far, across epochs.</summary>
    public long GlobalStep { get; internal set; }
    /// <summary>Every finished epoch, including those before a resume.</summary>
    public List<EpochMetrics> History { get; } = [];
    /// <summary>Each parameter group's learning rate relative to the scheduled one (transfer layer groups); all 1 otherwise.</summary>
    internal IReadOnlyList<double> LearningRateFactors { get; set; } = [];
    /// <summary>Set by a callback to end training after the current batch.</summary>
    public bool StopTraining { get; set; }
    /// <summary>Why training stopped early, for the run's log.</summary>
    public string? StopReason { get; set; }
    /// <summary>Set when training diverged (non-finite loss); the run then counts as failed.</summary>
    public bool Diverged { get; set; }
}
