using Anvil.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Export.Tests.Support;

/// <summary>Small text and series classifiers with random weights, and batches of token ids of uneven lengths.</summary>
internal static class SequenceModels
{
    public const int Vocabulary = 50;
    public const int MaxLength = 12;
    public static readonly string[] Classes = ["ham", "spam", "other"];

    /// <summary>Lengths of the test batch: full length, 1, and some in between, unsorted.</summary>
    public static readonly int[] Lengths = [MaxLength, 1, 7, 3, 10, MaxLength - 1];

    /// <summary>
    /// Token ids → embedding (16) → <paramref name="type"/> (8 units per direction) → the final states,
    /// or with <paramref name="pooling"/> every step pooled by sequence_pool → dense over the classes.
    /// </summary>
    public static ModelSpec Text(string type, bool bidirectional = false, int layers = 1, string? pooling = null) => new()
    {
        Name = $"text-{type}",
        InputShape = [MaxLength],
        InputKind = InputKinds.Tokens,
        ClassNames = Classes,
        Layers =
        [
            new() { Type = LayerTypes.Embedding, VocabularySize = Vocabulary, Units = 16 },
            new() { Type = type, Units = 8, NumLayers = layers, Bidirectional = bidirectional, ReturnSequences = pooling is not null ? true : null },
            .. pooling is null ? Array.Empty<LayerSpec>() : [new LayerSpec { Type = LayerTypes.SequencePool, Pooling = pooling }],
            new() { Type = LayerTypes.Dense },
        ],
    };

    /// <summary>A float series [T = 10, F = 3] with per-feature preprocessing into <paramref name="type"/>.</summary>
    public static ModelSpec Series(string type, string? pooling = null) => new()
    {
        Name = $"series-{type}",
        InputShape = [10, 3],
        ClassNames = Classes,
        Preprocessing = new PreprocessingSpec { Mean = [20f, -3f, 0.5f], Std = [4f, 2f, 0.25f] },
        Layers =
        [
            new() { Type = type, Units = 8, Bidirectional = true, ReturnSequences = pooling is not null ? true : null },
            .. pooling is null ? Array.Empty<LayerSpec>() : [new LayerSpec { Type = LayerTypes.SequencePool, Pooling = pooling }],
            new() { Type = LayerTypes.Dense },
        ],
    };

    /// <summary>Builds <paramref name="spec"/> from <paramref name="seed"/> with a confident head; eval mode.</summary>
    public static SpecModel Build(ModelSpec spec, int seed = 42)
    {
        random.manual_seed(seed);
        var model = ModelBuilder.Build(spec);
        using var noGrad = no_grad();
        // Random recurrent weights give logits near 0 and near-uniform probabilities, which would hide
        // errors; scaling the head gives logits of a few units, like a trained model.
        var head = model.named_modules().Select(m => m.module).OfType<TorchSharp.Modules.Linear>().Last();
        head.weight!.mul_(20);
        head.bias!.mul_(20);
        model.eval();
        return model;
    }

    /// <summary>(lengths.Length, <paramref name="steps"/>) ids: random non-pad ids for each length, then pad id 0.</summary>
    public static long[] Ids(int[] lengths, int steps, int seed)
    {
        var random = new Random(seed);
        var ids = new long[lengths.Length * steps];
        for (var b = 0; b < lengths.Length; b++)
            for (var t = 0; t < lengths[b]; t++)
                ids[b * steps + t] = random.Next(1, Vocabulary);
        return ids;
    }

    /// <summary>Random raw series values around the preprocessing's means, (batch, 10, 3).</summary>
    public static float[] Series(int batch, int seed)
    {
        var random = new Random(seed);
        float[] mean = [20f, -3f, 0.5f], std = [4f, 2f, 0.25f];
        return [.. Enumerable.Range(0, batch * 30).Select(i => mean[i % 3] + std[i % 3] * (float)(random.NextDouble() * 4 - 2))];
    }
}
