using System.Collections.Concurrent;
using Anvil.Registry;

namespace Anvil.Serving.Inference;

/// <summary>
/// Requests and samples served per caller's (organization, model, version), counted on the lease — never
/// on the session, which one run registered by several organizations shares. Kept across unloads, so a
/// counter never goes back; bounded by the registered versions.
/// </summary>
public sealed class TenantTraffic
{
    private readonly ConcurrentDictionary<(string Organization, string Model, int Version), Counts> _counts = new();

    /// <summary>Every version that has been asked for, with its counts so far.</summary>
    public IEnumerable<(string Organization, string Model, int Version, long Requests, long Samples)> Snapshot() =>
        _counts.Select(c => (c.Key.Organization, c.Key.Model, c.Key.Version, Interlocked.Read(ref c.Value.Requests), Interlocked.Read(ref c.Value.Samples)))
            .OrderBy(c => c.Organization, StringComparer.Ordinal).ThenBy(c => c.Model, StringComparer.Ordinal).ThenBy(c => c.Version);

    internal void Record(ModelVersion version, int samples)
    {
        var counts = _counts.GetOrAdd((version.OrganizationId, version.ModelName, version.Version), _ => new Counts());
        Interlocked.Increment(ref counts.Requests);
        Interlocked.Add(ref counts.Samples, samples);
    }

    private sealed class Counts
    {
        public long Requests;
        public long Samples;
    }
}
