using Anvil.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Models;

public class SequenceLayerTests
{
    private static ModelSpec TextSpec(params LayerSpec[] layers) => new()
    {
        Name = "text", InputShape = [20], InputKind = InputKinds.Tokens, ClassNames = ["ham", "spam"],
        Layers = layers,
    };

    private static LayerSpec Embedding => new LayerSpec { Type = LayerTypes.Embedding, VocabularySize = 100, Units = 8 };

    [Fact]
    public void TextClassifierParsesFromJsonAndTakesIdsOfAnyLength()
    {
        var json = """
            {"name": "spam-bilstm", "input_kind": "tokens", "input_shape": [20], "class_names": ["ham", "spam"],
             "layers": [{"type": "embedding", "vocabulary_size": 100, "units": 8},
                        {"type": "lstm", "units": 6, "num_layers": 2, "bidirectional": true, "return_sequences": true},
                        {"type": "sequence_pool", "pooling": "max"},
                        {"type": "dense"}]}
            """;
        var spec = ModelSpec.Parse(json);
        using var model = ModelBuilder.Build(spec);

        Assert.Equal([2], ModelBuilder.InferOutputShape(spec));
        Assert.Equal([12L], ModelBuilder.LayerShapes(spec)[2].Input[1..]); // [T, 2 directions × 6]
        foreach (var steps in new[] { 1, 20, 33 })
        {
            using var logits = model.forward(randint(1, 100, [3, steps], dtype: ScalarType.Int64));
            Assert.Equal([3L, 2], logits.shape);
        }
        Assert.Equal(spec.ToJson(), ModelSpec.Parse(spec.ToJson()).ToJson());
        // The pad id's vector is zero (padding_idx 0), so an all-pad row starts from nothing.
        Assert.All(model.state_dict()["layers.00_embedding.weight"][0].data<float>().ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void LengthsCountNonPadIdsAndAnEmptyRowCountsAsOneStep()
    {
        using var ids = tensor(new long[] { 5, 9, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 3 }, [4, 4]);
        using var lengths = SpecModel.SequenceLengths(ids);
        Assert.Equal([2L, 1, 1, 4], lengths.data<long>().ToArray());
    }

    [Theory]
    [InlineData("last", new[] { 3f, 30f })]
    [InlineData("mean", new[] { 2f, 20f })]
    [InlineData("max", new[] { 3f, 30f })]
    public void SequencePoolReadsOnlyValidSteps(string pooling, float[] expected)
    {
        // One sequence of length 3 (steps 1, 2, 3 and 10, 20, 30), then padded steps holding values
        // that would win a max and move a mean: they must not count.
        using var input = tensor(new[] { 1f, 10, 2, 20, 3, 30, 99, 99, -99, -99 }, [1, 5, 2]);
        using var lengths = tensor(new long[] { 3 });
        using var pool = new SequencePool(pooling);

        using var pooled = pool.forward(input, lengths);

        Assert.Equal(expected, pooled.data<float>().ToArray());
    }

    [Theory]
    [InlineData(LayerTypes.Lstm)]
    [InlineData(LayerTypes.Gru)]
    public void RecurrentLayerInEvalModeMatchesFloat64(string type)
    {
        // libtorch 2.10's float32 LSTM on an unpacked tensor under no_grad was off by up to 0.96 here
        // (hidden sizes 3, 8, 16); RecurrentLayer packs every input, which float64 agrees with.
        random.manual_seed(1);
        using var layer = new RecurrentLayer(type, inputSize: 16, units: 8, numLayers: 1, bidirectional: true, returnSequences: true);
        using var reference = new RecurrentLayer(type, inputSize: 16, units: 8, numLayers: 1, bidirectional: true, returnSequences: true);
        reference.load_state_dict(layer.state_dict());
        reference.to(ScalarType.Float64);
        layer.eval();
        reference.eval();
        using var noGrad = no_grad();
        using var x = randn(5, 10, 16) * 2;

        using var actual = layer.forward(x, null);
        using var expected = reference.forward(x.to(ScalarType.Float64), null);

        Assert.True((actual.to(ScalarType.Float64) - expected).abs().max().item<double>() < 1e-5);
    }

    [Fact]
    public void PaddedStepsDoNotChangeTheLogits()
    {
        var spec = TextSpec(Embedding, new LayerSpec { Type = LayerTypes.Gru, Units = 6, Bidirectional = true }, new LayerSpec { Type = LayerTypes.Dense });
        random.manual_seed(3);
        using var model = ModelBuilder.Build(spec);
        model.eval();
        using var noGrad = no_grad();
        using var ids = tensor(new long[] { 4, 8, 15, 0, 16, 23, 42, 42 }, [2, 4]);
        using var padded = nn.functional.pad(ids, [0, 6]); // six more pad ids per row

        using var logits = model.forward(ids);
        using var paddedLogits = model.forward(padded);

        Assert.Equal(logits.data<float>().ToArray(), paddedLogits.data<float>().ToArray());
    }

    [Theory]
    [InlineData(LayerTypes.Lstm)]
    [InlineData(LayerTypes.Gru)]
    public void TextModelLearnsThroughPackedSequences(string type)
    {
        // Class 1 when id 7 appears anywhere in a sequence of 1–15 ids: the gradient must flow through
        // pack_padded_sequence and the final states of both directions.
        var spec = TextSpec(new LayerSpec { Type = LayerTypes.Embedding, VocabularySize = 10, Units = 8 },
            new LayerSpec { Type = type, Units = 16, Bidirectional = true }, new LayerSpec { Type = LayerTypes.Dense });
        random.manual_seed(7);
        using var model = ModelBuilder.Build(spec);
        var generator = new Random(7);
        var (ids, labels) = (new long[64 * 15], new long[64]);
        for (var b = 0; b < 64; b++)
        {
            var length = generator.Next(1, 16);
            for (var t = 0; t < length; t++)
                ids[b * 15 + t] = generator.Next(1, 10);
            labels[b] = ids.AsSpan(b * 15, length).Contains(7L) ? 1 : 0;
        }
        using var x = tensor(ids, [64, 15]);
        using var y = tensor(labels);
        using var optimizer = optim.Adam(model.parameters(), lr: 0.05);
        double Loss()
        {
            using var scope = NewDisposeScope();
            return nn.functional.cross_entropy(model.forward(x), y).item<float>();
        }

        var before = Loss();
        for (var step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            nn.functional.cross_entropy(model.forward(x), y).backward();
            optimizer.step();
        }

        Assert.True(Loss() < 0.1 * before, $"{type}: loss went from {before:F3} to {Loss():F3}; expected a tenth of it.");
    }

    public static TheoryData<ModelSpec, string> InvalidSpecs() => new()
    {
        { TextSpec(new LayerSpec { Type = LayerTypes.Dense }), "the first layer of a \"tokens\" model must be {\"type\": \"embedding\"}" },
        { TextSpec(Embedding, new LayerSpec { Type = LayerTypes.Dense }), "sequence_pool" },
        { TextSpec(Embedding, new LayerSpec { Type = LayerTypes.Flatten }, new LayerSpec { Type = LayerTypes.Dense }), "sequence_pool" },
        { TextSpec(Embedding, new LayerSpec { Type = LayerTypes.SequencePool, Pooling = "sum" }, new LayerSpec { Type = LayerTypes.Dense }), "\"pooling\" must be one of: last, mean, max; got 'sum'" },
        { TextSpec(Embedding, new LayerSpec { Type = LayerTypes.Lstm }, new LayerSpec { Type = LayerTypes.Dense }), "\"units\" must be a positive integer" },
        { TextSpec(Embedding, Embedding, new LayerSpec { Type = LayerTypes.Dense }), "expects token ids" },
        { TextSpec(Embedding, new LayerSpec { Type = LayerTypes.Lstm, Units = 4 }, new LayerSpec { Type = LayerTypes.Lstm, Units = 4 }, new LayerSpec { Type = LayerTypes.Dense }), "expects a sequence [T, F]" },
        { TextSpec(Embedding, new LayerSpec { Type = LayerTypes.SequencePool, Pooling = "mean" }, new LayerSpec { Type = LayerTypes.Dense }) with { InputShape = [20, 3] }, "input_shape must be" },
        { TextSpec(Embedding) with { Preprocessing = new PreprocessingSpec { Mean = [0f], Std = [1f] } }, "token ids take no preprocessing" },
        { TextSpec(Embedding) with { InputKind = "text" }, "unknown input_kind 'text'. Use one of: image, features, series, tokens" },
        { new ModelSpec { Name = "x", InputShape = [4], ClassNames = ["a", "b"], Layers = [Embedding] }, "expects token ids" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void InvalidSequenceSpecIsRejectedSayingWhatToChange(ModelSpec spec, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => ModelBuilder.InferOutputShape(spec));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void SeriesStepsMayBeFlattenedSinceASeriesHasAFixedLength()
    {
        var spec = new ModelSpec
        {
            Name = "series", InputShape = [24, 1], ClassNames = ["t+1", "t+2", "t+3"], Head = Anvil.Training.Data.TaskKind.Regression,
            Layers = [new LayerSpec { Type = LayerTypes.Gru, Units = 4, ReturnSequences = true }, new LayerSpec { Type = LayerTypes.Flatten }, new LayerSpec { Type = LayerTypes.Dense }],
        };
        var dense = spec with { Layers = [spec.Layers[0], new LayerSpec { Type = LayerTypes.Dense }] };

        using var model = ModelBuilder.Build(spec);
        using var outputs = model.forward(randn(5, 24, 1));

        Assert.Equal([96L], ModelBuilder.LayerShapes(spec)[2].Input); // 24 steps × 4 units
        Assert.Equal([5L, 3], outputs.shape);
        Assert.Contains("or flatten it (a series model reads exactly T steps)", Assert.Throws<InvalidDataException>(() => ModelBuilder.InferOutputShape(dense)).Message);
    }

    [Fact]
    public void SeriesSpecIsInferredFromItsRankAndNormalisedPerFeature()
    {
        var spec = new ModelSpec
        {
            Name = "series", InputShape = [24, 3], ClassNames = ["down", "up"],
            Preprocessing = new PreprocessingSpec { Mean = [1f, 2f, 3f], Std = [1f, 1f, 1f] },
            Layers = [new LayerSpec { Type = LayerTypes.Lstm, Units = 5 }, new LayerSpec { Type = LayerTypes.Dense }],
        };

        Assert.Equal(InputKinds.Series, InputKinds.Of(spec));
        Assert.Equal(3, ModelBuilder.PreprocessedChannels(spec));
        using var model = ModelBuilder.Build(spec);
        using var logits = model.forward(randn(4, 24, 3));
        Assert.Equal([4L, 2], logits.shape);
    }
}
