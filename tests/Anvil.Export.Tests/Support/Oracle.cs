using Anvil.Training.Models;
using Microsoft.ML.OnnxRuntime;
using static TorchSharp.torch;

namespace Anvil.Export.Tests.Support;

/// <summary>The two sides of a round trip: ONNX Runtime on raw inputs, and TorchSharp on inputs preprocessed as training does.</summary>
internal static class Oracle
{
    /// <summary>Raw inputs a client would send: whole 0..255 pixel values for images, unscaled numbers for feature vectors.</summary>
    public static float[] RawInputs(ModelSpec spec, int batch, int seed)
    {
        var random = new Random(seed);
        var count = batch * spec.InputShape.Aggregate(1, (a, b) => a * b);
        var images = spec.InputShape.Length == 3;
        return [.. Enumerable.Range(0, count).Select(i => images
            ? random.Next(256)
            : (float)(random.NextDouble() * 20 - 10 + (i % spec.InputShape[0])))];
    }

    /// <summary>
    /// Training's preprocessing, written out: readers divide 8-bit values by 255f, then Normalization
    /// subtracts the mean and divides by the std of each channel (images) or feature (vectors).
    /// </summary>
    public static float[] Preprocess(ModelSpec spec, float[] raw)
    {
        if (spec.Preprocessing is not { } p)
            return raw;
        var series = spec.InputShape.Length == 2; // [T, F]: per feature, the last axis
        var perChannel = series ? 1 : spec.InputShape.Skip(1).Aggregate(1, (a, b) => a * b); // H·W, or 1 for [F]
        var channels = series ? spec.InputShape[1] : spec.InputShape[0];
        var divisor = (float)Math.Round(1 / p.Scale);
        return [.. raw.Select((v, i) =>
        {
            var c = i / perChannel % channels;
            var scaled = p.Scale == 1 ? v : v / divisor;
            return (scaled - p.Mean[c]) / p.Std[c];
        })];
    }

    /// <summary>softmax(model(x)) in TorchSharp, (batch, classes) row-major.</summary>
    public static float[] TorchProbabilities(SpecModel model, float[] inputs, int batch)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        var x = tensor(inputs, [batch, .. model.Spec.InputShape.Select(d => (long)d)]);
        return model.forward(x).softmax(1).data<float>().ToArray();
    }

    /// <summary>The exported graph's "probabilities" for raw <paramref name="inputs"/>, (batch, classes) row-major.</summary>
    public static float[] OnnxProbabilities(byte[] onnx, ModelSpec spec, float[] inputs, int batch)
    {
        using var session = new InferenceSession(onnx);
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, [batch, .. spec.InputShape.Select(d => (long)d)]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    /// <summary>softmax(model(ids)) in TorchSharp for token ids (batch, steps), row-major.</summary>
    public static float[] TorchProbabilities(SpecModel model, long[] ids, int batch, int steps)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        model.eval();
        return model.forward(tensor(ids, [batch, steps])).softmax(1).data<float>().ToArray();
    }

    /// <summary>The exported graph's "probabilities" for token ids (batch, steps), row-major.</summary>
    public static float[] OnnxProbabilities(byte[] onnx, long[] ids, int batch, int steps)
    {
        using var session = new InferenceSession(onnx);
        using var input = OrtValue.CreateTensorValueFromMemory(ids, [batch, steps]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [OnnxExporter.InputName], [input], [OnnxExporter.OutputName]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public static float MaxAbsDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    public static int[] ArgMax(float[] probabilities, int classes) =>
        [.. probabilities.Chunk(classes).Select(row => Array.IndexOf(row, row.Max()))];
}
