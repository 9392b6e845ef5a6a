using System.Numerics.Tensors;
using Anvil.Registry.Versions;
using Anvil.Serving.Inference;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// Runs a verified model version's model.onnx through the serving predictor (<see cref="OnnxPredictor"/>, the
/// session serving builds) and returns each sample's top class: the figures retraining compares are what
/// clients would have been answered.
/// </summary>
internal sealed class VersionScorer(VerifiedModelVersion version) : IDisposable
{
    private const int Batch = 64;
    private readonly OnnxPredictor _predictor = new(version, threads: Math.Max(1, Environment.ProcessorCount));

    /// <summary>The sample shape the version takes (without the batch).</summary>
    public IReadOnlyList<long> SampleShape => _predictor.SampleShape;

    /// <summary>Each sample's top class.</summary>
    /// <param name="inputs">Raw samples back to back, as a client sends them (0–255 pixels, unscaled features).</param>
    public int[] Predict(float[] inputs)
    {
        var probabilities = Probabilities(inputs);
        var classes = _predictor.Outputs;
        return Enumerable.Range(0, probabilities.Length / classes).Select(i => TensorPrimitives.IndexOfMax(probabilities.AsSpan(i * classes, classes))).ToArray();
    }

    /// <summary>Each sample's class probabilities, row after row, as the server answers them.</summary>
    /// <param name="inputs">Raw samples back to back, as a client sends them (0–255 pixels, unscaled features).</param>
    public float[] Probabilities(float[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var size = _predictor.SampleSize;
        if (inputs.Length % size != 0)
            throw new ArgumentException($"{inputs.Length} values are not whole samples of {size}.", nameof(inputs));
        var count = inputs.Length / size;
        var probabilities = new float[count * _predictor.Outputs];
        var buffer = (float[])_predictor.NewInput(Batch);
        for (var start = 0; start < count; start += Batch)
        {
            var n = Math.Min(Batch, count - start);
            inputs.AsSpan(start * size, n * size).CopyTo(buffer);
            _predictor.Run(buffer, n, probabilities.AsSpan(start * _predictor.Outputs, n * _predictor.Outputs));
        }
        return probabilities;
    }

    /// <summary>Probabilities per sample.</summary>
    public int Classes => _predictor.Outputs;

    public void Dispose() => _predictor.Dispose();
}
