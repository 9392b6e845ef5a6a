using Anvil.Training.Data;

namespace Anvil.Training.Models;

/// <summary>
/// DCGAN's two networks (Radford et al. 2016) for square images whose side is a multiple of 4 (Fashion-MNIST's
/// 28): the generator upsamples noise [Z, 1, 1] with transposed convolutions, batch norm and ReLU to an image in
/// [-1, 1] (tanh); the discriminator downsamples with strided convolutions and leaky ReLU to one logit, "real".
/// Channel counts are multiples of 16 (<see cref="ConvolutionCheck"/>).
/// </summary>
/// <example>
/// <code>
/// var generator = Dcgan.Generator([1, 28, 28], noise: 100);   // [100, 1, 1] → [1, 28, 28]
/// var discriminator = Dcgan.Discriminator([1, 28, 28]);       // [1, 28, 28] → [1]
/// </code>
/// </example>
public static class Dcgan
{
    /// <summary>The model name recipes and runs record.</summary>
    public const string Name = "dcgan";

    /// <summary>Noise [Z, 1, 1] → 128 × side/4 → 64 × side/2 → image.</summary>
    public static ModelSpec Generator(int[] imageShape, int noise)
    {
        var (channels, side) = Check(imageShape);
        return new ModelSpec
        {
            Name = Name,
            InputShape = [noise, 1, 1],
            InputKind = InputKinds.Noise,
            Head = TaskKind.Generation,
            ClassNames = [],
            Layers =
            [
                new() { Type = LayerTypes.ConvTranspose, Filters = 128, Kernel = side / 4, BatchNorm = true, Activation = "relu" },
                new() { Type = LayerTypes.ConvTranspose, Filters = 64, Kernel = 4, Stride = 2, Padding = "same", BatchNorm = true, Activation = "relu" },
                new() { Type = LayerTypes.ConvTranspose, Filters = channels, Kernel = 4, Stride = 2, Padding = "same", Activation = "tanh" },
            ],
        };
    }

    /// <summary>Image → 64 × side/2 → 128 × side/4 → one logit (a one-output regression head, "real").</summary>
    public static ModelSpec Discriminator(int[] imageShape)
    {
        Check(imageShape);
        return new ModelSpec
        {
            Name = Name + "-discriminator",
            InputShape = imageShape,
            Head = TaskKind.Regression,
            ClassNames = ["real"],
            Layers =
            [
                new() { Type = LayerTypes.Conv2d, Filters = 64, Kernel = 3, Stride = 2, Padding = "same", Activation = "leaky_relu" },
                new() { Type = LayerTypes.Conv2d, Filters = 128, Kernel = 3, Stride = 2, Padding = "same", BatchNorm = true, Activation = "leaky_relu" },
                new() { Type = LayerTypes.Flatten },
                new() { Type = LayerTypes.Dense },
            ],
        };
    }

    /// <summary>
    /// DCGAN's initialisation, in place: convolution and dense weights from N(0, 0.02), batch-norm scales from
    /// N(1, 0.02), biases zero. Without it (libtorch's uniform defaults) the generator of samples/gan made the
    /// same blurred top for most noise after 300 steps.
    /// </summary>
    public static void Initialize(SpecModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var noGrad = TorchSharp.torch.no_grad();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal))
                parameter.zero_();
            else if (parameter.dim() == 1)
                parameter.normal_(1, 0.02); // a batch norm's scale
            else
                parameter.normal_(0, 0.02);
        }
    }

    private static (int Channels, int Side) Check(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length != 3 || shape[0] is not (1 or 3) || shape[1] != shape[2] || shape[1] < 8 || shape[1] % 4 != 0)
            throw new ArgumentException($"DCGAN makes square grey or RGB images whose side is a multiple of 4 (e.g. [1, 28, 28]); the data's images are [{string.Join(", ", shape)}]. Resize them with \"resize\": \"28x28\".");
        return (shape[0], shape[1]);
    }
}
