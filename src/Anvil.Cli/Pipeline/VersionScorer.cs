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

    /// <param name="inputs">Raw samples back to back, as a client sends them (0–255 pixels, unscaled features).</param>
    public int[] Predict(float[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var size = _predictor.SampleSize;
        if (inputs.Length % size != 0)
            throw new ArgumentException($"{inputs.Length} values are not whole samples of {size}.", nameof(inputs));
        var count = inputs.Length / size;
        var labels = new int[count];
        var buffer = (float[])_predictor.NewInput(Batch);
        var output = new float[Batch * _predictor.Outputs];
        for (var start = 0; start < count; start += Batch)
        {
            var n = Math.Min(Batch, count - start);
            inputs.AsSpan(start * size, n * size).CopyTo(buffer);
            _predictor.Run(buffer, n, output);
            for (var i = 0; i < n; i++)
                labels[start + i] = TensorPrimitives.IndexOfMax(output.AsSpan(i * _predictor.Outputs, _predictor.Outputs));
        }
        return labels;
    }

    public void Dispose() => _predictor.Dispose();
}
