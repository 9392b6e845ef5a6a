using Anvil.Registry.Versions;
using Anvil.Serving.Inference;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>Loaded sessions share one pool of ONNX Runtime threads instead of starting one pool each.</summary>
public sealed class OnnxThreadsTests : ServedModelTest
{
    [Fact]
    public void EightLoadedSessionsDoNotAddEightPoolsOfThreads()
    {
        var files = Host.Catalog.OpenFiles(Version, Host.Signer);
        var sample = new float[28 * 28];
        var output = new float[ServingHost.Classes.Length];
        var before = ThreadCount();
        var predictors = Enumerable.Range(0, 8).Select(_ => new OnnxPredictor(files, threads: 4)).ToList();
        foreach (var predictor in predictors)
            predictor.Run(sample, 1, output); // pools start their threads by the first run at the latest
        var added = ThreadCount() - before;
        predictors.ForEach(p => p.Dispose());

        // Pools of their own would add 3 worker threads per session (4 intra-op threads, one being the
        // caller's): 24. The shared pool adds at most its own 3 once; the rest is the runtime's noise.
        Assert.True(added < 8, $"8 sessions added {added} threads");
    }

    private static int ThreadCount() => Directory.GetDirectories("/proc/self/task").Length;
}
