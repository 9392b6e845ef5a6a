using Anvil.Export;
using Anvil.Training.Compression;
using Anvil.Training.Runs;

namespace Anvil.Cli.Commands;

/// <summary>
/// <c>compress --method prune-channels|prune-magnitude</c>: a finished run's model with a fraction of the channels of each
/// prunable layer removed (<see cref="ChannelPruning"/>) or of all its weights set to zero (<see cref="MagnitudePruning"/>),
/// fine-tuned as a new run that records <c>pruned_from</c>; then both models are measured through ONNX Runtime on the
/// source run's test set, with their parameters and the share of zero weights.
/// </summary>
internal static class CompressPrune
{
    public const string Channels = "prune-channels";
    public const string Magnitude = "prune-magnitude";

    /// <summary>True for the pruning methods (they take --fraction and --fine-tune-epochs, not --calibration).</summary>
    public static bool Prunes(string method) => method is Channels or Magnitude;

    /// <summary>The pruning method a --method value names.</summary>
    public static PruningMethod MethodOf(string method) => method == Channels ? PruningMethod.Channels : PruningMethod.Magnitude;

    /// <summary>The source run, the pruned run, both graphs' figures, and both models' parameters and sparsity.</summary>
    public sealed record Result(string SourceRunId, RunSummary Pruned, CompressMeasurement Source, CompressMeasurement Compressed, Weights SourceWeights, Weights PrunedWeights);

    /// <summary>A model's parameter count and the share of its conv2d and dense weights that are zero.</summary>
    public sealed record Weights(long Parameters, double Sparsity);

    /// <param name="sourceOnnx">The source's graph (a registered version's verified model.onnx); null exports the run's weights.</param>
    public static Result Prune(IRunRecorder recorder, string runIdOrPrefix, PruningOptions options, TextWriter progress, byte[]? sourceOnnx = null)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        var source = recorder.GetRun(runIdOrPrefix);
        (CompressMeasurement Before, CompressMeasurement After, Weights Source, Weights Pruned)? measured = null;
        var pruned = new RunPipeline(recorder, progress, interactive: false).Prune(source.Id, options, (data, summary) =>
        {
            // the fine-tuning's own data: the same split and normalisation, loaded once
            progress.WriteLine($"Measuring the source and the pruned model on run {source.Id}'s test set in ONNX Runtime...");
            var artifacts = new RunArtifacts(source.ArtifactsDirectory);
            var (sourceOnnxBytes, sourceWeights) = Export(artifacts);
            var (prunedOnnx, prunedWeights) = Export(new RunArtifacts(summary.ArtifactsDir));
            var (before, after) = CompressRun.Measure(data, artifacts.LoadSpec(), sourceOnnx ?? sourceOnnxBytes, prunedOnnx);
            measured = (before, after, sourceWeights, prunedWeights);
        });
        if (measured is not { } m) // measured only when the fine-tuning finished
            throw new ArgumentException($"The pruned run {pruned.RunId} ended {pruned.Outcome} during fine-tuning; nothing was measured or registered. See ./anvil runs show {pruned.RunId[..12]}.");
        return new Result(source.Id, pruned, m.Before, m.After, m.Source, m.Pruned);
    }

    private static (byte[] Onnx, Weights Weights) Export(RunArtifacts artifacts)
    {
        using var model = artifacts.LoadModel();
        return (OnnxExporter.ToBytes(model), new Weights(model.parameters().Sum(p => p.numel()), MagnitudePruning.Sparsity(model)));
    }
}
