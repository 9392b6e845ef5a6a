using Anvil.Export;
using Anvil.Export.Quantisation;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Runs;

namespace Anvil.Cli.Commands;

/// <summary>
/// Quantises a finished run's model to int8 and measures it against the float model on the run's
/// test set, both through ONNX Runtime in this process. <c>compress RUN</c> writes the int8 file beside the
/// run's artifacts (<c>model.int8-dynamic.onnx</c> or <c>model.int8-static.onnx</c>); the run itself is unchanged.
/// </summary>
internal static class CompressRun
{
    public const string Dynamic = "int8-dynamic";
    public const string Static = "int8-static";

    /// <summary>What compress measured: the source (float) and the result (int8) side by side.</summary>
    public sealed record Result(string RunId, string Method, string Path, CompressMeasurement Source, CompressMeasurement Compressed);

    /// <summary>The int8 graph, the calibration samples it used (0 for dynamic) and both graphs measured.</summary>
    public sealed record Quantised(byte[] Int8, int Calibration, CompressMeasurement Source, CompressMeasurement Compressed);

    public static Result Compress(IRunRecorder recorder, string runIdOrPrefix, string method, int calibration, TextWriter progress)
    {
        var run = recorder.GetRun(runIdOrPrefix);
        var q = Quantise(run, $"Run {run.Id}", method, calibration, progress, spec =>
        {
            using var model = new RunArtifacts(run.ArtifactsDirectory).LoadModel(spec);
            return OnnxExporter.ToBytes(model);
        });
        var path = System.IO.Path.Combine(run.ArtifactsDirectory, $"model.{method}.onnx");
        File.WriteAllBytes(path, q.Int8);
        return new Result(run.Id, method, path, q.Source, q.Compressed);
    }

    /// <summary>
    /// Quantises the float graph <paramref name="floatOnnx"/> returns for the run's spec, calibrating on the run's
    /// training samples, and measures both graphs on its test set. <paramref name="subject"/> names the model in errors.
    /// </summary>
    public static Quantised Quantise(RecordedRun run, string subject, string method, int calibration, TextWriter progress, Func<ModelSpec, byte[]> floatOnnx)
    {
        if (method == Static && calibration <= 0)
            throw new ArgumentException($"--calibration {calibration}: static int8 needs calibration samples to measure activation ranges; pass --calibration N with N ≥ 1 (default 256).");
        var artifacts = new RunArtifacts(run.ArtifactsDirectory);
        var spec = artifacts.LoadSpec();
        if (spec.Head == TaskKind.Regression || InputKinds.Of(spec) is InputKinds.Tokens or InputKinds.Series)
            throw new ArgumentException($"{subject} is a {(spec.Head == TaskKind.Regression ? "regressor" : InputKinds.Of(spec) + " model")}; compress quantises image and feature classifiers only (conv2d and dense layers; recurrent layers stay float and are not compressed).");
        var onnx = floatOnnx(spec);
        using var data = RunPipeline.LoadAgain(run, artifacts, artifacts.LoadRecipe(), spec, progress);
        var used = method == Static ? Math.Min(calibration, data.Train.Count) : 0;
        progress.WriteLine(method == Static
            ? $"Quantising to int8 (static QDQ, activation ranges from {used} training samples)..."
            : "Quantising to int8 (dynamic: int8 weights, activations quantised at run time)...");
        var int8 = method == Static
            ? Int8Quantiser.Static(onnx, new CalibrationSet(CompressInputs.Raw(data.Train, spec.Preprocessing, calibration), data.Train.SampleShape, used))
            : Int8Quantiser.Dynamic(onnx);
        progress.WriteLine($"Measuring float and int8 on {data.Test.Count} test samples in ONNX Runtime...");
        var (source, compressed) = Measure(data, spec, onnx, int8);
        return new Quantised(int8, used, source, compressed);
    }

    /// <summary>Both graphs' accuracy, bytes and latency on <paramref name="data"/>'s test set (raw inputs: the graphs normalise).</summary>
    public static (CompressMeasurement Source, CompressMeasurement Compressed) Measure(PreparedData data, ModelSpec spec, byte[] source, byte[] compressed)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(spec);
        var inputs = CompressInputs.Raw(data.Test, spec.Preprocessing, data.Test.Count);
        var labels = data.Test.Labels.data<long>().ToArray();
        return (CompressMeasurement.Of(source, inputs, labels, data.Test.SampleShape), CompressMeasurement.Of(compressed, inputs, labels, data.Test.SampleShape));
    }
}
