namespace Anvil.Registry.Versions;

/// <summary>
/// How a raw input becomes what the graph takes. Images are decoded, converted to
/// <see cref="Channels"/> channels, resized to <see cref="Height"/>×<see cref="Width"/> and sent as
/// raw 0–255 values; scaling and normalisation (<see cref="Scale"/>, <see cref="Mean"/>,
/// <see cref="Std"/>) are folded into the ONNX graph and recorded here for readers.
/// </summary>
public sealed record ModelPreprocessing
{
    /// <summary>"image" for [C,H,W] inputs, "features" for [F] vectors, "series" for [T,F] windows, "tokens" for texts.</summary>
    public required string Kind { get; init; }

    /// <summary>The window length T a series model takes, or the tokens a text becomes (its tokenizer's max_length); 0 otherwise.</summary>
    public int SequenceLength { get; init; }

    /// <summary>How a text becomes token ids (tokens models only): the vocabulary file of this version and the tokenizer's settings.</summary>
    public ModelTokenizer? Tokenizer { get; init; }

    /// <summary>
    /// Feature vectors trained on a CSV file: the columns in the graph's order with the cleaning fitted
    /// on the training rows, so a client may send named features (<c>{"age": 41, "income": null}</c>) and
    /// serving fills and clips them as training did. Null for other inputs.
    /// </summary>
    public IReadOnlyList<ModelColumn>? Columns { get; init; }

    public int Channels { get; init; }

    public int Height { get; init; }

    public int Width { get; init; }

    public double Scale { get; init; } = 1.0;

    public float[] Mean { get; init; } = [];

    public float[] Std { get; init; } = [];

    /// <summary>Regressors: the outputs are the graph's last layer × <see cref="TargetStd"/> + <see cref="TargetMean"/> (in the graph, for readers).</summary>
    public float[]? TargetMean { get; init; }

    public float[]? TargetStd { get; init; }

    /// <summary>True when scale, mean and std (and the targets' unit) are applied inside model.onnx (clients send raw values).</summary>
    public bool FoldedIntoGraph { get; init; }
}
