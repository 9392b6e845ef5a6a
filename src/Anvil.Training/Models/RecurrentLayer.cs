using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using PackedSequence = TorchSharp.torch.nn.utils.rnn.PackedSequence;
using Rnn = TorchSharp.torch.nn.utils.rnn;

namespace Anvil.Training.Models;

/// <summary>
/// An LSTM or GRU over batch-first sequences that ignores padding: each sequence is packed to its
/// length (<c>pack_padded_sequence</c>), so the recurrence stops at its last valid step and the
/// backward direction starts there, exactly as ONNX's <c>sequence_lens</c> does. Padded steps of
/// the returned sequence are zero.
/// </summary>
/// <remarks>
/// Packing rather than masking: a mask can hide padded outputs, but a backward direction (and the
/// final state) would still have run through the padding. Packing also skips the padded work.
/// </remarks>
/// <example>
/// <code>
/// using var lstm = new RecurrentLayer(LayerTypes.Lstm, inputSize: 32, units: 64, numLayers: 2, bidirectional: true, returnSequences: false);
/// var state = lstm.forward(embedded, lengths); // (B, T, 32), (B) → (B, 128)
/// </code>
/// </example>
public sealed class RecurrentLayer : Module<Tensor, Tensor?, Tensor>
{
    // Registered as "rnn": state-dict keys are rnn.weight_ih_l{k}[_reverse], rnn.weight_hh_l{k}, rnn.bias_ih_l{k}, rnn.bias_hh_l{k}.
    private readonly Module rnn;
    private readonly int _directions;
    private readonly bool _returnSequences;

    /// <param name="type"><see cref="LayerTypes.Lstm"/> or <see cref="LayerTypes.Gru"/>.</param>
    public RecurrentLayer(string type, long inputSize, long units, long numLayers, bool bidirectional, bool returnSequences) : base(type)
    {
        rnn = type switch
        {
            LayerTypes.Lstm => LSTM(inputSize, units, numLayers, batchFirst: true, bidirectional: bidirectional),
            LayerTypes.Gru => GRU(inputSize, units, numLayers, batchFirst: true, bidirectional: bidirectional),
            _ => throw new ArgumentException($"Recurrent layer type must be '{LayerTypes.Lstm}' or '{LayerTypes.Gru}', got '{type}'.", nameof(type)),
        };
        _directions = bidirectional ? 2 : 1;
        _returnSequences = returnSequences;
        (Kind, Units, NumLayers) = (type, units, numLayers);
        RegisterComponents();
    }

    /// <summary><see cref="LayerTypes.Lstm"/> or <see cref="LayerTypes.Gru"/>.</summary>
    internal string Kind { get; }
    /// <summary>H: units per direction.</summary>
    internal long Units { get; }
    internal long NumLayers { get; }
    internal int Directions => _directions;
    internal bool ReturnSequences => _returnSequences;

    /// <summary>One of libtorch's weights by its name, e.g. <c>weight_ih_l0</c>, <c>bias_hh_l1_reverse</c>.</summary>
    internal Parameter Weight(string name) => rnn.get_parameter(name) ?? throw new InvalidOperationException($"The {Kind} layer has no parameter {name}.");

    /// <summary>
    /// (B, T, F) and valid lengths (B) int64, each in 1..T, or null when every sequence is full length →
    /// (B, T, directions·units) with zeros after each sequence's end, or the final states (B, directions·units).
    /// </summary>
    public override Tensor forward(Tensor input, Tensor? lengths)
    {
        using var scope = NewDisposeScope();
        // Full-length series are packed too: libtorch 2.10's float32 LSTM on a plain (unpacked) tensor
        // under no_grad returns wrong values on our CPUs (max error 0.5–0.96 against float64 for hidden
        // sizes 3, 8 and 16; right for 64 and with gradients on), while the packed path agrees with float64 to 2e-7.
        lengths ??= full(input.shape[0], input.shape[1], dtype: ScalarType.Int64);
        using var packed = Rnn.pack_padded_sequence(input, lengths.cpu(), batch_first: true, enforce_sorted: false);
        var (packedOutput, finalStates) = Run(packed);
        if (_returnSequences)
            return Rnn.pad_packed_sequence(packedOutput, batch_first: true, total_length: input.shape[1]).Item1.MoveToOuterDisposeScope(); // (B, T, D·H)
        // h_n is (layers·D, B, H), last layer's directions last: forward then backward → (B, D·H).
        var last = finalStates[TensorIndex.Slice(-_directions)];
        return last.permute(1, 0, 2).reshape(input.shape[0], -1).MoveToOuterDisposeScope();
    }

    private (PackedSequence Sequence, Tensor FinalStates) Run(PackedSequence input) => rnn switch
    {
        LSTM lstm => Pick(lstm.call(input, null)),
        GRU gru => gru.call(input, null),
        _ => throw new InvalidOperationException("Unreachable: the constructor makes an LSTM or a GRU."),
    };

    // An LSTM also returns its final cell states, which nothing downstream reads.
    private static (T, Tensor) Pick<T>((T Output, Tensor Hidden, Tensor Cell) result) => (result.Output, result.Hidden);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            rnn.Dispose();
        base.Dispose(disposing);
    }
}
