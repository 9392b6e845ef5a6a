using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace Anvil.Export.Quantisation;

/// <summary>
/// Min/max of named float values of a graph over a calibration set, measured by ONNX Runtime: the
/// values become extra graph outputs of a copy of the model, run in batches. Every range includes 0,
/// so 0 is exactly representable (zero padding, ReLU's floor).
/// </summary>
internal static class ActivationRanges
{
    private const int Batch = 32;

    public static Dictionary<string, (float Min, float Max)> Measure(ModelProto model, IReadOnlyCollection<string> values, CalibrationSet calibration)
    {
        var probe = model.Clone();
        var input = probe.Graph.Input[0].Name;
        foreach (var value in values.Where(v => probe.Graph.Output.All(o => o.Name != v)))
            probe.Graph.Output.Add(new ValueInfoProto
            {
                Name = value,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
            });
        var ranges = values.ToDictionary(v => v, _ => (Min: 0f, Max: 0f));
        using var session = new InferenceSession(probe.ToByteArray());
        using var runOptions = new RunOptions();
        var names = values.ToArray();
        for (var start = 0; start < calibration.Count; start += Batch)
        {
            var count = Math.Min(Batch, calibration.Count - start);
            var slice = calibration.Inputs.AsMemory((int)(start * calibration.SampleSize), (int)(count * calibration.SampleSize));
            using var tensor = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, slice, [count, .. calibration.SampleShape]);
            using var outputs = session.Run(runOptions, [input], [tensor], names);
            for (var i = 0; i < names.Length; i++)
            {
                var (min, max) = ranges[names[i]];
                foreach (var v in outputs[i].GetTensorDataAsSpan<float>())
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
                ranges[names[i]] = (min, max);
            }
        }
        return ranges;
    }
}
