using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Anvil.Registry;
using Anvil.Registry.Predictions;
using Anvil.Registry.Versions;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// Feedback-labelled logged inputs turned back into training samples: the float32 values exactly as the client
/// sent them (raw pixels or features, the graph does the scaling) with the feedback's class index. Every label
/// must be one of the model's classes, and every input must have the model's sample shape.
/// </summary>
internal sealed record FeedbackSamples(IReadOnlyList<string> PredictionIds, float[] Inputs, long[] Labels, int SampleSize)
{
    public int Count => Labels.Length;

    /// <summary>SHA-256 over the prediction ids and labels in order: which feedback a challenger learnt from.</summary>
    public string Hash() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join('\n', PredictionIds.Select((id, i) => $"{id}\t{Labels[i].ToString(CultureInfo.InvariantCulture)}")))));

    /// <summary>The items at <paramref name="indices"/>, in that order.</summary>
    public FeedbackSamples Subset(IReadOnlyList<int> indices)
    {
        var inputs = new float[indices.Count * SampleSize];
        for (var i = 0; i < indices.Count; i++)
            Inputs.AsSpan(indices[i] * SampleSize, SampleSize).CopyTo(inputs.AsSpan(i * SampleSize));
        return new FeedbackSamples(indices.Select(i => PredictionIds[i]).ToList(), inputs, indices.Select(i => Labels[i]).ToArray(), SampleSize);
    }

    /// <param name="logged">Logged inputs with feedback.</param>
    /// <param name="manifest">The champion's manifest: its classes and input shape.</param>
    /// <param name="modelName">Names the model in errors.</param>
    public static FeedbackSamples From(IReadOnlyList<LoggedInput> logged, ModelManifest manifest, string modelName)
    {
        var classes = manifest.Signature.ClassLabels;
        var shape = manifest.Signature.Inputs[0].Shape.Skip(1).ToArray();
        var sampleSize = checked((int)shape.Aggregate(1L, (a, b) => a * b));
        var expectedShape = string.Join(",", shape);
        var ids = new List<string>(logged.Count);
        var inputs = new float[checked(logged.Count * sampleSize)];
        var labels = new long[logged.Count];
        foreach (var (item, i) in logged.Select((item, i) => (item, i)))
        {
            var (prediction, feedback) = (item.Prediction, item.Feedback!);
            if (feedback.Label < 0 || feedback.Label >= classes.Count || classes[feedback.Label] != feedback.LabelName)
                throw new RegistryException($"Feedback on prediction {prediction.Id} names class '{feedback.LabelName}' (index {feedback.Label}), which is not one of model '{modelName}''s classes ({string.Join(", ", classes)}); the champion's classes changed since. Retrain from a champion with these classes, or prune that feedback with ./anvil predictions prune.");
            if (prediction.InputShape != expectedShape || prediction.Input.Length != sampleSize * sizeof(float))
                throw new RegistryException($"Prediction {prediction.Id} logged an input of shape '{prediction.InputShape}' ({prediction.Input.Length} bytes); model '{modelName}' takes [{expectedShape}] float32 values. Inputs sent by column name are not retrained on yet; send feature vectors as arrays.");
            MemoryMarshal.Cast<byte, float>(prediction.Input).CopyTo(inputs.AsSpan(i * sampleSize, sampleSize));
            ids.Add(prediction.Id);
            labels[i] = feedback.Label;
        }
        return new FeedbackSamples(ids, inputs, labels, sampleSize);
    }
}
