using Anvil.Preprocessing.Images;
using static TorchSharp.torch;

namespace Anvil.Training.Training.Callbacks;

/// <summary>
/// After each epoch, writes a grid of a generator's images (its weight average when the recipe keeps one, as the judge
/// scores), always from the same seeded noise, as
/// <c>epoch_NN.png</c> in a folder, so the epochs can be compared side by side.
/// </summary>
/// <example>
/// <code>callbacks.Add(new SampleGrid(Path.Combine(artifacts.Directory, "samples"), seed: 42));</code>
/// </example>
/// <param name="directory">Where the PNGs go; created if needed.</param>
/// <param name="seed">Seeds the noise.</param>
/// <param name="count">Images in the grid, 8 per row.</param>
public sealed class SampleGrid(string directory, long seed, int count = 64) : Callback
{
    /// <summary>The grid of an epoch.</summary>
    public string PathOf(int epoch) => Path.Combine(directory, $"epoch_{epoch:D2}.png");

    public override void OnEpochEnd(TrainingContext context, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Diverged)
            return;
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(PathOf(context.Epoch), Render(context.Ema?.Model ?? context.Model, seed, count)); // the weights the judge scores
    }

    /// <summary>A generator's images for seeded noise, mapped from [-1, 1] to [0, 1], as one PNG grid.</summary>
    public static byte[] Render(Models.SpecModel generator, long seed, int count)
    {
        ArgumentNullException.ThrowIfNull(generator);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        generator.eval();
        var images = generator.forward(GanJudge.Noise(count, generator.Spec.InputShape[0], seed)).add(1).div(2); // (N, C, H, W) in [0, 1]
        var (c, h, w) = ((int)images.shape[1], (int)images.shape[2], (int)images.shape[3]);
        return PngImages.Grid(images.contiguous().data<float>().ToArray(), count, columns: 8, c, h, w);
    }
}
