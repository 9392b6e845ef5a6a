using System.Net;
using Anvil.Serving.Inference;
using Anvil.Serving.Tests.Support;

namespace Anvil.Serving.Tests;

/// <summary>Requests that arrive together run as one batch and get the same answers as alone.</summary>
public sealed class BatchingTests
{
    private static async Task<(string[] Bodies, double MeanBatch)> RunConcurrently(BatchingOptions batching, int requests)
    {
        // The requests must be in flight in the server together: on 2 cores the thread pool starts with 2 workers and
        // grows slowly, so without this the server takes the 64 requests a few at a time and each finds the batcher idle.
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        ThreadPool.SetMinThreads(Math.Max(workers, requests), completionPorts);
        await using var host = await ServingHost.StartAsync(new ServingOptions { Batching = batching });
        host.AddVersion(host.Acme);
        using var client = host.Client(host.CreateKey(host.Acme));
        Assert.Equal(HttpStatusCode.OK, (await Requests.PredictAsync(client, Requests.Json(Requests.Image(0)))).StatusCode); // load the model
        var router = host.Service<ModelRouter>();
        var (batches0, samples0) = router.LoadedModels.Single().Batcher.Counters;
        var bodies = await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
        {
            using var response = await Requests.PredictAsync(client, Requests.Json(Requests.Image(i % 4)));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            return (await Requests.ReadJsonAsync(response)).GetProperty("predictions")[0].GetProperty("probabilities").GetRawText();
        }));
        var (batches1, samples1) = router.LoadedModels.Single().Batcher.Counters;
        Assert.Equal(requests, samples1 - samples0);
        return (bodies, (double)(samples1 - samples0) / (batches1 - batches0));
    }

    [Fact]
    public async Task ConcurrentRequestsShareBatchesAndAnswersDoNotChange()
    {
        var (batched, meanBatch) = await RunConcurrently(new BatchingOptions(16, TimeSpan.FromMilliseconds(50)), 64);
        Assert.True(meanBatch > 1.5, $"mean batch size {meanBatch:F2}: concurrent requests were not batched");
        var (single, meanSingle) = await RunConcurrently(new BatchingOptions(1, TimeSpan.Zero), 64);
        Assert.Equal(1.0, meanSingle);
        for (var i = 0; i < batched.Length; i++)
        {
            // batch composition changes only float summation order inside ONNX Runtime's kernels
            var a = System.Text.Json.JsonDocument.Parse(batched[i]).RootElement.EnumerateObject().Select(p => p.Value.GetSingle()).ToArray();
            var b = System.Text.Json.JsonDocument.Parse(single[i]).RootElement.EnumerateObject().Select(p => p.Value.GetSingle()).ToArray();
            for (var c = 0; c < a.Length; c++)
                Assert.Equal(b[c], a[c], 5);
        }
    }

    [Fact]
    public void BadBatchingOptionsAreRefused()
    {
        Assert.Contains("--max-batch-size", Assert.Throws<ArgumentException>(() => new BatchingOptions(0, TimeSpan.Zero).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("--max-queue-delay-ms", Assert.Throws<ArgumentException>(() => new BatchingOptions(8, TimeSpan.FromSeconds(5)).Validate()).Message, StringComparison.Ordinal);
    }
}
