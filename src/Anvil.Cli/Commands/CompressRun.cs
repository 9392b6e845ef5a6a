using Anvil.Export;
using Anvil.Export.Quantisation;
using Anvil.Training.Data;
using Anvil.Training.Models;
using Anvil.Training.Runs;

namespace Anvil.Cli.Commands;

/// <summary>
/// Quantises a finished run's model to int8 and measures it against the float model on the run's
/// test set, both through ONNX Runtime in this process. The int8 file is written beside the run's
/// artifacts (<c>model.int8-dynamic.onnx</c> or <c>model.int8-static.onnx</c>); the run itself is unchanged.
/// </summary>
internal static class CompressRun
{
    public const string Dynamic = "int8-dynamic";
    public const string Static = "int8-static";

    /// <summary>What compress measured: the source (float) and the result (int8) side by side.</summary>
    public sealed record Result(string RunId, string Method, string Path, CompressMeasurement Source, CompressMeasurement Compressed);

    public static Result Compress(IRunRecorder recorder, string runIdOrPrefix, string method, int calibration, TextWriter progress)
    {
        if (method == Static && calibration <= 0)
            throw new ArgumentException($"--calibration {calibration}: static int8 needs calibration samples to measure activation ranges; pass --calibration N with N ≥ 1 (default 256).");
        var run = recorder.GetRun(runIdOrPrefix);
        var artifacts = new RunArtifacts(run.ArtifactsDirectory);
        var spec = artifacts.LoadSpec();
        if (spec.Head == TaskKind.Regression || InputKinds.Of(spec) is InputKinds.Tokens or InputKinds.Series)
            throw new ArgumentException($"Run {run.Id} is a {(spec.Head == TaskKind.Regression ? "regressor" : InputKinds.Of(spec) + " model")}; compress quantises image and feature classifiers only (conv2d and dense layers; recurrent layers stay float and are not compressed).");
        using var model = ModelBuilder.Build(spec);
        model.load(artifacts.Require(artifacts.WeightsPath));
        var onnx = OnnxExporter.ToBytes(model);
        using var data = RunPipeline.LoadAgain(run, artifacts, artifacts.LoadRecipe(), spec, progress);
        progress.WriteLine(method == Static
            ? $"Quantising to int8 (static QDQ, activation ranges from {Math.Min(calibration, data.Train.Count)} training samples)..."
            : "Quantising to int8 (dynamic: int8 weights, activations quantised at run time)...");
        var int8 = method == Static
            ? Int8Quantiser.Static(onnx, new CalibrationSet(CompressInputs.Raw(data.Train, spec.Preprocessing, calibration), data.Train.SampleShape, Math.Min(calibration, data.Train.Count)))
            : Int8Quantiser.Dynamic(onnx);
        var path = System.IO.Path.Combine(artifacts.Directory, $"model.{method}.onnx");
        File.WriteAllBytes(path, int8);
        progress.WriteLine($"Measuring float and int8 on {data.Test.Count} test samples in ONNX Runtime...");
        var inputs = CompressInputs.Raw(data.Test, spec.Preprocessing, data.Test.Count);
        var labels = data.Test.Labels.data<long>().ToArray();
        return new Result(run.Id, method, path,
            CompressMeasurement.Of(onnx, inputs, labels, data.Test.SampleShape),
            CompressMeasurement.Of(int8, inputs, labels, data.Test.SampleShape));
    }
}
