using Anvil.Export.Tests.Support;
using Anvil.Training.Models;
using Xunit.Abstractions;

namespace Anvil.Export.Tests;

/// <summary>
/// Embedding, LSTM/GRU and sequence pooling written to ONNX, run in ONNX Runtime on token ids of
/// uneven lengths (or float series), and compared with TorchSharp.
/// </summary>
public sealed class RecurrentExportTests(ITestOutputHelper output)
{
    // Same tolerance and reason as OnnxExporterRoundTripTests: both engines compute float32 in a
    // different order. A wrong gate order, a missing linear_before_reset or a pooled padding step
    // moves probabilities by far more (see the cases below failing before the exporter knew them).
    private const float Tolerance = 1e-5f;

    public static TheoryData<string, bool, int, string?> TextModels() => new()
    {
        { LayerTypes.Lstm, false, 1, null },
        { LayerTypes.Gru, false, 1, null },
        { LayerTypes.Lstm, true, 1, null },
        { LayerTypes.Gru, true, 1, null },
        { LayerTypes.Lstm, false, 2, null },
        { LayerTypes.Gru, false, 2, null },
        { LayerTypes.Lstm, true, 2, null },
        { LayerTypes.Gru, true, 2, null },
        { LayerTypes.Lstm, true, 1, "last" },
        { LayerTypes.Lstm, true, 1, "mean" },
        { LayerTypes.Lstm, true, 1, "max" },
        { LayerTypes.Gru, false, 2, "last" },
        { LayerTypes.Gru, true, 2, "mean" },
        { LayerTypes.Gru, true, 1, "max" },
    };

    [Theory]
    [MemberData(nameof(TextModels))]
    public void ExportedTextModelGivesTorchSharpsProbabilitiesOnUnevenLengths(string type, bool bidirectional, int layers, string? pooling)
    {
        var spec = SequenceModels.Text(type, bidirectional, layers, pooling);
        var difference = CompareOnTokenIds(spec);
        output.WriteLine($"{type} bidirectional={bidirectional} layers={layers} pooling={pooling ?? "final state"}: max |p_onnx - p_torch| = {difference:E2}");
    }

    [Fact]
    public void ChainedRecurrentLayersAndPoolingRightAfterTheEmbeddingExport()
    {
        // Two spec layers (a sequence-returning GRU, dropout, an LSTM) instead of num_layers, and an
        // embedding pooled directly (a bag-of-words model): lengths reach every layer that needs them.
        var chained = SequenceModels.Text(LayerTypes.Lstm) with
        {
            Layers =
            [
                new() { Type = LayerTypes.Embedding, VocabularySize = SequenceModels.Vocabulary, Units = 16 },
                new() { Type = LayerTypes.Gru, Units = 8, Bidirectional = true, ReturnSequences = true },
                new() { Type = LayerTypes.Dropout, Rate = 0.3 },
                new() { Type = LayerTypes.Lstm, Units = 8 },
                new() { Type = LayerTypes.Dense },
            ],
        };
        var bagOfWords = SequenceModels.Text(LayerTypes.Lstm) with
        {
            Layers =
            [
                new() { Type = LayerTypes.Embedding, VocabularySize = SequenceModels.Vocabulary, Units = 16 },
                new() { Type = LayerTypes.SequencePool, Pooling = "mean" },
                new() { Type = LayerTypes.Dense },
            ],
        };
        output.WriteLine($"gru(bi, sequences)-dropout-lstm: max |Δp| = {CompareOnTokenIds(chained):E2}");
        output.WriteLine($"embedding-mean: max |Δp| = {CompareOnTokenIds(bagOfWords):E2}");
    }

    [Fact]
    public void TheBuiltInTextGruExports()
    {
        var spec = BuiltInModels.Create("text-gru", [SequenceModels.MaxLength], SequenceModels.Classes, SequenceModels.Vocabulary);
        output.WriteLine($"text-gru: max |Δp| = {CompareOnTokenIds(spec):E2}");
    }

    [Theory]
    [InlineData(LayerTypes.Lstm, null)]
    [InlineData(LayerTypes.Gru, null)]
    [InlineData(LayerTypes.Lstm, "last")]
    [InlineData(LayerTypes.Lstm, "mean")]
    [InlineData(LayerTypes.Gru, "max")]
    public void ExportedSeriesModelGivesTorchSharpsProbabilitiesOnRawValues(string type, string? pooling)
    {
        var spec = SequenceModels.Series(type, pooling);
        using var model = SequenceModels.Build(spec);
        var onnx = OnnxExporter.ToBytes(model);
        const int batch = 5;
        var raw = SequenceModels.Series(batch, seed: 3);

        var expected = Oracle.TorchProbabilities(model, Oracle.Preprocess(spec, raw), batch);
        var actual = Oracle.OnnxProbabilities(onnx, spec, raw, batch);

        var difference = Oracle.MaxAbsDifference(expected, actual);
        output.WriteLine($"series {type} bidirectional pooling={pooling ?? "final state"}: max |p_onnx - p_torch| = {difference:E2}");
        Assert.True(difference <= Tolerance, $"series {type}: probabilities differ by {difference:E2} > {Tolerance:E0}.");
        Assert.Contains(expected, p => p > 0.6f); // a confident model, so the comparison means something
    }

    private float CompareOnTokenIds(ModelSpec spec)
    {
        using var model = SequenceModels.Build(spec);
        var onnx = OnnxExporter.ToBytes(model);
        var lengths = SequenceModels.Lengths;
        var ids = SequenceModels.Ids(lengths, SequenceModels.MaxLength, seed: 11);

        var expected = Oracle.TorchProbabilities(model, ids, lengths.Length, SequenceModels.MaxLength);
        var actual = Oracle.OnnxProbabilities(onnx, ids, lengths.Length, SequenceModels.MaxLength);

        var difference = Oracle.MaxAbsDifference(expected, actual);
        Assert.True(difference <= Tolerance, $"{spec.Name}: probabilities differ by {difference:E2} > {Tolerance:E0}.");
        Assert.Equal(Oracle.ArgMax(expected, SequenceModels.Classes.Length), Oracle.ArgMax(actual, SequenceModels.Classes.Length));
        Assert.Contains(expected, p => p > 0.6f);
        return difference;
    }
}
