using Anvil.Training.Data;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Anvil.Training.Transfer;

/// <summary>
/// Makes a data set's images what a pretrained backbone reads: the first <see cref="TransferOptions.TrainImages"/>
/// training images, every image resized (bilinear) to the square <see cref="TransferOptions.ImageSize"/> and grey
/// ones repeated into R, G, B. Image folders are already read at that size by the decoder serving uses (the run sets
/// the recipe's resize), so only data sets of a fixed size, such as Fashion-MNIST's 28x28, are resized here.
/// </summary>
/// <example>
/// <code>using var rgb = TransferData.Convert(source.Load(recipe, null, Console.Error), recipe.Transfer!);</code>
/// </example>
public static class TransferData
{
    // Images converted per step: bounds the temporary tensors (1,000 RGB 224x224 images are 600 MB).
    private const int Chunk = 1000;

    /// <summary>The converted data; takes ownership of <paramref name="source"/>'s tensors.</summary>
    public static SourceData Convert(SourceData source, TransferOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        if (source.Train.Features.dim() != 4 || source.Train.Task != TaskKind.Classification)
        {
            source.Dispose();
            throw new ArgumentException("Transfer learning fine-tunes an image classifier, but the data are not labelled images; use an image folder (one sub-folder per class) or fashion-mnist, or remove the recipe's \"transfer\" section.");
        }
        var train = options.TrainImages is { } n ? Runs.PreparedData.Head(source.Train, n) : source.Train;
        return new SourceData(ToRgb(train, options.ImageSize), ToRgb(source.Test, options.ImageSize), source.Scale, null);
    }

    /// <summary>(N, 1 or 3, H, W) → (N, 3, size, size); disposes the input when it copies.</summary>
    public static TensorDataset ToRgb(TensorDataset data, int size)
    {
        ArgumentNullException.ThrowIfNull(data);
        var x = data.Features; // (N, C, H, W)
        if (x.shape[1] is not (1 or 3))
            throw new ArgumentException($"The images have {x.shape[1]} channels; transfer learning reads grey (1) or RGB (3) images.");
        if (x.shape[1] == 3 && x.shape[2] == size && x.shape[3] == size)
            return data;
        var output = empty([x.shape[0], 3, size, size]);
        for (long start = 0; start < x.shape[0]; start += Chunk)
        {
            using var scope = NewDisposeScope();
            var part = x.narrow(0, start, Math.Min(Chunk, x.shape[0] - start));
            if (part.shape[2] != size || part.shape[3] != size)
                part = interpolate(part, [size, size], mode: InterpolationMode.Bilinear, align_corners: false);
            output.narrow(0, start, part.shape[0]).copy_(part.expand(-1, 3, -1, -1)); // grey: R = G = B
        }
        var converted = new TensorDataset(output, data.Targets.clone(), data.ClassNames);
        data.Dispose();
        return converted;
    }
}
