using Anvil.Serving.Inference;

namespace Anvil.Serving.Tests.Inference;

/// <summary>The batch queue is bounded in samples, gives each organization a share, and drains round-robin.</summary>
public sealed class FairQueueTests
{
    [Fact]
    public void OneOrganizationsFloodFillsOnlyItsShare()
    {
        var queue = new FairQueue<string>(maxSamples: 12, maxSamplesPerTenant: 8);
        Assert.True(queue.TryEnqueue("a", "a1", 4));
        Assert.True(queue.TryEnqueue("a", "a2", 4));
        Assert.False(queue.TryEnqueue("a", "a3", 1)); // a's share is full

        Assert.True(queue.TryEnqueue("b", "b1", 4));
        Assert.False(queue.TryEnqueue("c", "c1", 1)); // the whole queue is full, counted in samples
    }

    [Fact]
    public void TenantsAreDrainedInTurnsAndTakenSamplesFreeTheirShare()
    {
        var queue = new FairQueue<string>(maxSamples: 100, maxSamplesPerTenant: 3);
        foreach (var item in new[] { "a1", "a2", "a3" })
            Assert.True(queue.TryEnqueue("a", item, 1));
        queue.TryEnqueue("b", "b1", 1);
        queue.TryEnqueue("b", "b2", 1);

        var order = new List<string>();
        while (queue.TryTake(int.MaxValue, out var item, out _))
            order.Add(item);

        Assert.Equal(["a1", "b1", "a2", "b2", "a3"], order);
        Assert.True(queue.IsEmpty);
        Assert.True(queue.TryEnqueue("a", "a4", 3)); // the share is free again
    }

    [Fact]
    public void ARequestLargerThanTheRoomLeftInABatchWaitsForTheNextBatch()
    {
        var queue = new FairQueue<string>(maxSamples: 100, maxSamplesPerTenant: 100);
        queue.TryEnqueue("a", "big", 10);
        Assert.False(queue.TryTake(4, out _, out _));
        Assert.False(queue.IsEmpty);
        Assert.True(queue.TryTake(10, out var item, out var samples));
        Assert.Equal(("big", 10), (item, samples));
    }
}
