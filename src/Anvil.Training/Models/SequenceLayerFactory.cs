using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Models;

/// <summary>Creates the layers that read or produce sequences [T, F]: embedding, lstm, gru, sequence_pool.</summary>
internal static class SequenceLayerFactory
{
    public static (Module? Module, long[] Output) Embedding(LayerContext c, bool build)
    {
        if (!c.IsTokenIds)
            throw c.Error("expects token ids; it must be the first layer of a model with \"input_kind\": \"tokens\" and input_shape [T].");
        var vocabulary = c.Required(c.Layer.VocabularySize, "vocabulary_size");
        if (vocabulary < 2)
            throw c.Error($"\"vocabulary_size\" must be at least 2 (the pad id 0 and one token), got {vocabulary}.");
        var units = c.Required(c.Layer.Units, "units");
        // Row 0 is the pad id's vector: zero, and never trained.
        return (build ? nn.Embedding(vocabulary, units, padding_idx: InputKinds.PadId) : null, [c.InputShape[0], units]);
    }

    public static (Module? Module, long[] Output) Recurrent(LayerContext c, bool build)
    {
        var (steps, features) = c.RequireSequence();
        var units = c.Required(c.Layer.Units, "units");
        var layers = c.Required(c.Layer.NumLayers ?? 1, "num_layers");
        var directions = c.Layer.Bidirectional == true ? 2 : 1;
        var returnSequences = c.Layer.ReturnSequences == true;
        long[] output = returnSequences ? [steps, directions * units] : [directions * units];
        if (!build)
            return (null, output);
        return (new RecurrentLayer(c.Layer.Type, features, units, layers, directions == 2, returnSequences), output);
    }

    public static (Module? Module, long[] Output) Pool(LayerContext c, bool build)
    {
        var (_, features) = c.RequireSequence();
        var pooling = c.Layer.Pooling;
        if (pooling is null || !LayerTypes.Poolings.Contains(pooling))
            throw c.Error($"\"pooling\" must be one of: {string.Join(", ", LayerTypes.Poolings)}; got {(pooling is null ? "nothing" : $"'{pooling}'")}.");
        return (build ? new SequencePool(pooling) : null, [features]);
    }
}
