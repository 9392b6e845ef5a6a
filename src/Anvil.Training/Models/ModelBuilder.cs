using Anvil.Training.Data;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Models;

/// <summary>
/// Turns a <see cref="ModelSpec"/> into a TorchSharp module, inferring every layer's input shape
/// from the spec's input shape (so "dense" after "flatten" needs no input size).
/// </summary>
/// <example>
/// <code>using var model = ModelBuilder.Build(BuiltInModels.Create("seed-cnn", [1, 28, 28], classNames));</code>
/// </example>
public static class ModelBuilder
{
    /// <summary>Builds the module; weights are initialised from TorchSharp's current random seed.</summary>
    /// <exception cref="InvalidDataException">A layer does not fit the shape it receives, or the spec is invalid.</exception>
    public static SpecModel Build(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var layers = new List<(string, Module)>();
        Walk(spec, (index, layer, module) => layers.Add(($"{index:D2}_{layer.Type}", module)));
        return new SpecModel(spec, ModuleDict([.. layers]));
    }

    /// <summary>Validates the spec and returns the model's output shape without allocating weights.</summary>
    public static long[] InferOutputShape(ModelSpec spec) => Walk(spec, onLayer: null);

    /// <summary>Each layer with the shape it receives and the shape it returns (per sample, no batch dimension).</summary>
    public static IReadOnlyList<(LayerSpec Layer, long[] Input, long[] Output)> LayerShapes(ModelSpec spec)
    {
        var shapes = new List<(LayerSpec, long[], long[])>();
        Walk(spec, onLayer: null, (layer, input, output) => shapes.Add((layer, input, output)));
        return shapes;
    }

    private static long[] Walk(ModelSpec spec, Action<int, LayerSpec, Module>? onLayer, Action<LayerSpec, long[], long[]>? onShape = null)
    {
        ValidateHeader(spec);
        var tokens = InputKinds.Of(spec) == InputKinds.Tokens;
        var series = InputKinds.Of(spec) == InputKinds.Series;
        var shape = spec.InputShape.Select(d => (long)d).ToArray();
        var lastDense = LastIndexOf(spec.Layers, LayerTypes.Dense);
        for (var i = 0; i < spec.Layers.Count; i++)
        {
            var layer = spec.Layers[i];
            var context = new LayerContext(i, layer, shape, spec.ClassNames.Length, IsLast: i == spec.Layers.Count - 1, IsLastDense: i == lastDense, IsTokenIds: tokens && i == 0, IsSeries: series);
            var (module, output) = LayerFactory.Create(context, build: onLayer is not null);
            if (module is not null)
                EnsureConvolutionsAreRight(i, layer, shape, output);
            if (module is not null)
                onLayer!(i, layer, module);
            onShape?.Invoke(layer, shape, output);
            shape = output;
        }
        if (spec.Head == TaskKind.Generation)
            return shape.Length == 3 ? shape : throw new InvalidDataException(
                $"Model '{spec.Name}' is a generator and must output an image [C, H, W], but outputs [{string.Join(", ", shape)}]. End the layers with {{\"type\": \"conv_transpose\"}} or conv2d.");
        if (shape.Length != 1 || shape[0] != spec.ClassNames.Length)
            throw new InvalidDataException(
                $"Model '{spec.Name}' outputs shape [{string.Join(", ", shape)}] but must output [{spec.ClassNames.Length}], one score per class. End the layers with {{\"type\": \"dense\"}} (units default to the class count).");
        return shape;
    }

    /// <summary>Every convolution the layer runs, checked against this machine's libtorch (<see cref="ConvolutionCheck"/>).</summary>
    private static void EnsureConvolutionsAreRight(int index, LayerSpec layer, long[] input, long[] output)
    {
        if (layer.Type == LayerTypes.Conv2d)
        {
            ConvolutionCheck.Ensure(index, layer.Type, input[0]);
        }
        else if (layer.Type == LayerTypes.Residual)
        {
            ConvolutionCheck.Ensure(index, layer.Type, input[0]);
            ConvolutionCheck.Ensure(index, layer.Type, output[0]);
        }
    }

    private static void ValidateHeader(ModelSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Name))
            throw new InvalidDataException("A model spec needs a non-empty \"name\".");
        if (spec.InputKind is { } kind && !InputKinds.All.Contains(kind))
            throw new InvalidDataException($"Model '{spec.Name}': unknown input_kind '{kind}'. Use one of: {string.Join(", ", InputKinds.All)}, or leave it out to follow the rank of input_shape.");
        var rank = InputKinds.Rank(InputKinds.Of(spec));
        if (spec.InputShape is null || spec.InputShape.Length != rank || spec.InputShape.Any(d => d <= 0))
            throw new InvalidDataException($"Model '{spec.Name}': input_shape must be [C, H, W] for images, [F] for feature vectors, [T, F] for series or [T] for \"input_kind\": \"tokens\", with positive sizes; got [{string.Join(", ", spec.InputShape ?? [])}] for input kind '{InputKinds.Of(spec)}'.");
        var regression = spec.Head == TaskKind.Regression;
        if ((spec.Head == TaskKind.Generation) != (InputKinds.Of(spec) == InputKinds.Noise))
            throw new InvalidDataException($"Model '{spec.Name}': a generator (\"head\": \"generation\") and \"input_kind\": \"noise\" go together; set both or neither.");
        if (spec.Head == TaskKind.Generation)
        {
            if (spec.Preprocessing is not null)
                throw new InvalidDataException($"Model '{spec.Name}': a generator takes noise and no preprocessing; remove \"preprocessing\".");
            if (spec.Layers is not { Count: > 0 })
                throw new InvalidDataException($"Model '{spec.Name}': layers is empty; list at least one layer.");
            return;
        }
        if (!regression && spec.ClassNames is not { Length: >= 2 })
            throw new InvalidDataException($"Model '{spec.Name}': class_names must list at least 2 classes.");
        if (regression && spec.ClassNames is not { Length: >= 1 })
            throw new InvalidDataException($"Model '{spec.Name}': a regression head needs class_names to name each output (e.g. [\"t+1\", \"t+2\"]).");
        if (spec.Layers is not { Count: > 0 })
            throw new InvalidDataException($"Model '{spec.Name}': layers is empty; list at least one layer.");
        if (regression && spec.Layers[^1].Activation == "softmax")
            throw new InvalidDataException($"Model '{spec.Name}': a regression head outputs values, not probabilities; remove \"activation\": \"softmax\" from the last layer.");
        if (spec.Preprocessing is not { } p)
            return;
        ValidateTargets(spec, p, regression);
        if (InputKinds.Of(spec) == InputKinds.Tokens)
            throw new InvalidDataException($"Model '{spec.Name}': token ids take no preprocessing; remove \"preprocessing\".");
        var channels = PreprocessedChannels(spec);
        if (p.Mean.Length != p.Std.Length || p.Mean.Length != channels || p.Std.Any(s => !(s > 0)))
            throw new InvalidDataException($"Model '{spec.Name}': preprocessing needs one mean and one positive std per channel or feature ({channels}).");
    }

    // Only a regressor is trained on standardised targets, and it needs one mean and one positive std per output, or neither.
    private static void ValidateTargets(ModelSpec spec, PreprocessingSpec p, bool regression)
    {
        if (p.TargetMean is null && p.TargetStd is null)
            return;
        if (!regression)
            throw new InvalidDataException($"Model '{spec.Name}': target_mean and target_std belong to a regression head; remove them or set \"head\": \"regression\".");
        var outputs = spec.ClassNames.Length;
        if (p.TargetMean?.Length != outputs || p.TargetStd?.Length != outputs || p.TargetStd.Any(s => !(s > 0)) || p.TargetMean.Any(m => !float.IsFinite(m)))
            throw new InvalidDataException($"Model '{spec.Name}': preprocessing needs one finite target_mean and one positive target_std per output ({outputs}), or neither.");
    }

    /// <summary>How many means and stds preprocessing has: one per image channel, per feature, or per feature of each series step.</summary>
    public static int PreprocessedChannels(ModelSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return InputKinds.Of(spec) == InputKinds.Series ? spec.InputShape[1] : spec.InputShape[0];
    }

    /// <summary>Index of the last layer of <paramref name="type"/>, or -1 (the last dense layer is a classifier's head).</summary>
    internal static int LastIndexOf(IReadOnlyList<LayerSpec> layers, string type)
    {
        for (var i = layers.Count - 1; i >= 0; i--)
            if (layers[i].Type == type)
                return i;
        return -1;
    }
}
