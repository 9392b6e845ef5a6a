using System.Numerics.Tensors;
using System.Diagnostics;
using Anvil.Export;
using Microsoft.ML.OnnxRuntime;

namespace Anvil.Cli.Commands;

/// <summary>One ONNX file measured in ONNX Runtime: test accuracy, bytes, median latency at batch 1 and 32.</summary>
internal sealed record CompressMeasurement(double Accuracy, long Bytes, double LatencyMsBatch1, double LatencyMsBatch32)
{
    // Enough runs for a stable median on a shared 2-core machine without making compress slow.
    private const int Warmup = 3;
    private const int Repetitions = 25;

    /// <param name="inputs">Raw test inputs, row-major (N, ...sample shape).</param>
    public static CompressMeasurement Of(byte[] onnx, float[] inputs, long[] labels, long[] sampleShape)
    {
        using var session = new InferenceSession(onnx);
        var sampleSize = (int)sampleShape.Aggregate(1L, (a, b) => a * b);
        var correct = 0;
        var classes = 0;
        for (var start = 0; start < labels.Length; start += 256)
        {
            var count = Math.Min(256, labels.Length - start);
            var probabilities = Run(session, inputs.AsMemory(start * sampleSize, count * sampleSize), count, sampleShape);
            classes = probabilities.Length / count;
            for (var i = 0; i < count; i++)
                correct += TensorPrimitives.IndexOfMax(probabilities.AsSpan(i * classes, classes)) == labels[start + i] ? 1 : 0;
        }
        return new CompressMeasurement((double)correct / labels.Length, onnx.LongLength,
            MedianMilliseconds(session, inputs, 1, sampleShape), MedianMilliseconds(session, inputs, 32, sampleShape));
    }

    /// <summary>Median milliseconds of one run on the first <paramref name="batch"/> of <paramref name="inputs"/> (repeated when fewer), after a warm-up.</summary>
    public static double MedianMilliseconds(InferenceSession session, float[] inputs, int batch, long[] sampleShape, int repetitions = Repetitions)
    {
        var sampleSize = (int)sampleShape.Aggregate(1L, (a, b) => a * b);
        var data = new float[batch * sampleSize];
        for (var i = 0; i < batch; i++)
            inputs.AsSpan(i * sampleSize % inputs.Length, sampleSize).CopyTo(data.AsSpan(i * sampleSize));
        return MedianMilliseconds(() => Run(session, data, batch, sampleShape), repetitions);
    }

    /// <summary>Median milliseconds of one call of <paramref name="run"/>, after a warm-up.</summary>
    public static double MedianMilliseconds(Action run, int repetitions = Repetitions)
    {
        ArgumentNullException.ThrowIfNull(run);
        for (var i = 0; i < Warmup; i++)
            run();
        var times = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var started = Stopwatch.GetTimestamp();
            run();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repetitions / 2];
    }

    private static float[] Run(InferenceSession session, Memory<float> inputs, int count, long[] sampleShape)
    {
        using var tensor = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, inputs, [count, .. sampleShape]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [tensor], [OnnxExporter.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
