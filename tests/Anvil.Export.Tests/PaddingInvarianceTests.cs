using Anvil.Export.Tests.Support;
using Anvil.Training.Models;
using Xunit.Abstractions;

namespace Anvil.Export.Tests;

/// <summary>Pad ids after a sequence's end change nothing, in TorchSharp and in the exported graph.</summary>
public sealed class PaddingInvarianceTests(ITestOutputHelper output)
{
    // Extra padding and batch size change the order of float32 sums (matrix blocking), not the maths:
    // the same tolerance as the parity tests. A padded step that leaked into the result moves
    // probabilities by ~1e-2 or more (mean pooling over 12 instead of 3 steps, say).
    private const float Tolerance = 1e-5f;

    public static TheoryData<string, bool, int, string?> Models() => new()
    {
        { LayerTypes.Lstm, true, 2, null },
        { LayerTypes.Gru, true, 1, "mean" },
        { LayerTypes.Lstm, true, 1, "max" },
        { LayerTypes.Gru, false, 1, "last" },
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void ExtraPaddingAndBatchingDoNotChangeAnySequencesProbabilities(string type, bool bidirectional, int layers, string? pooling)
    {
        var spec = SequenceModels.Text(type, bidirectional, layers, pooling);
        using var model = SequenceModels.Build(spec);
        var onnx = OnnxExporter.ToBytes(model);
        var lengths = SequenceModels.Lengths;
        int batch = lengths.Length, steps = SequenceModels.MaxLength, padded = steps + 8, classes = SequenceModels.Classes.Length;
        var ids = SequenceModels.Ids(lengths, steps, seed: 5);
        var morePadding = new long[batch * padded];
        for (var b = 0; b < batch; b++)
            Array.Copy(ids, b * steps, morePadding, b * padded, steps);

        var torch = Oracle.TorchProbabilities(model, ids, batch, steps);
        var torchPadded = Oracle.TorchProbabilities(model, morePadding, batch, padded);
        var onnxOut = Oracle.OnnxProbabilities(onnx, ids, batch, steps);
        var onnxPadded = Oracle.OnnxProbabilities(onnx, morePadding, batch, padded);
        // Each sequence alone, exactly its length: no padding at all.
        float[] torchAlone = [], onnxAlone = [];
        for (var b = 0; b < batch; b++)
        {
            var single = ids.AsSpan(b * steps, lengths[b]).ToArray();
            torchAlone = [.. torchAlone, .. Oracle.TorchProbabilities(model, single, 1, lengths[b])];
            onnxAlone = [.. onnxAlone, .. Oracle.OnnxProbabilities(onnx, single, 1, lengths[b])];
        }

        var differences = new[]
        {
            ("torch padded", Oracle.MaxAbsDifference(torch, torchPadded)),
            ("torch alone", Oracle.MaxAbsDifference(torch, torchAlone)),
            ("onnx padded", Oracle.MaxAbsDifference(onnxOut, onnxPadded)),
            ("onnx alone", Oracle.MaxAbsDifference(onnxOut, onnxAlone)),
        };
        output.WriteLine($"{spec.Name} bidirectional={bidirectional} layers={layers} pooling={pooling ?? "final state"}: " +
            string.Join(", ", differences.Select(d => $"{d.Item1} {d.Item2:E2}")));
        Assert.All(differences, d => Assert.True(d.Item2 <= Tolerance, $"{d.Item1}: probabilities moved by {d.Item2:E2} > {Tolerance:E0}."));
        Assert.Contains(torch.Chunk(classes), row => row.Max() > 0.6f);
    }

    [Fact]
    public void GraphTakesInt64IdsOfAnyBatchAndLength()
    {
        using var model = SequenceModels.Build(SequenceModels.Text(LayerTypes.Gru, bidirectional: true));
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(OnnxExporter.ToBytes(model));

        var input = Assert.Single(session.InputMetadata);
        Assert.Equal(OnnxExporter.InputName, input.Key);
        Assert.Equal(typeof(long), input.Value.ElementType);
        Assert.Equal([-1, -1], input.Value.Dimensions);
        Assert.Equal([OnnxExporter.BatchDimension, OnnxExporter.SequenceDimension], input.Value.SymbolicDimensions);
        var result = Assert.Single(session.OutputMetadata);
        Assert.Equal([-1, SequenceModels.Classes.Length], result.Value.Dimensions);
    }
}
