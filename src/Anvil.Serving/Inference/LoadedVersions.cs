using System.Collections.Concurrent;
using Anvil.Registry;
using Anvil.Serving.Inputs;

namespace Anvil.Serving.Inference;

/// <summary>
/// The loaded sessions, one per manifest digest, capped in total and per organization. A load that would
/// pass a cap first retires the least recently used session with no request in flight — for the
/// per-organization cap, one the same organization loaded — so one tenant asking for many old versions
/// evicts only its own, and a session in use is never taken from under a request. When every candidate
/// is in flight the load is refused (503) rather than going over the cap.
/// </summary>
internal sealed class LoadedVersions
{
    private readonly int _maxTotal;
    private readonly int _maxPerOrganization;
    private readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);
    private readonly Lock _gate = new(); // serialises adding and evicting, so the caps hold; leases of loaded sessions never take it
    private long _clock; // a use counter, not time: the fake clock of tests (and a coarse real one) gives ties

    public LoadedVersions(int maxTotal, int maxPerOrganization)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTotal);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPerOrganization);
        _maxTotal = maxTotal;
        _maxPerOrganization = maxPerOrganization;
    }

    /// <summary>Sessions whose load has finished.</summary>
    public IEnumerable<LoadedModel> Models => _slots.Values.Where(s => s.Model.IsValueCreated).Select(s => s.Model.Value);

    /// <summary>True when the session of <paramref name="digest"/> is loaded or loading.</summary>
    public bool Contains(string digest) => _slots.ContainsKey(digest);

    /// <summary>A lease on <paramref name="version"/>'s session, loading it with <paramref name="open"/> if needed; null if it was retired meanwhile.</summary>
    public ModelLease? Acquire(ModelVersion version, Func<ModelVersion, LoadedModel> open, TenantTraffic traffic, DateTimeOffset now)
    {
        var slot = _slots.TryGetValue(version.ManifestDigest, out var known) ? known : Add(version, open);
        LoadedModel model;
        try
        {
            model = slot.Model.Value; // outside the gate: a slow load does not hold up other versions' requests
        }
        catch
        {
            _slots.TryRemove(new(version.ManifestDigest, slot)); // a refused version is checked again next time
            throw;
        }

        Interlocked.Exchange(ref slot.LastTouched, Interlocked.Increment(ref _clock));
        return model.TryAcquire(version, traffic, now);
    }

    /// <summary>Retires sessions not in <paramref name="keep"/> that had no request since <paramref name="idleSince"/>.</summary>
    public void RetireIdle(IReadOnlySet<string> keep, DateTimeOffset idleSince)
    {
        lock (_gate)
        {
            foreach (var (digest, slot) in _slots)
            {
                if (!keep.Contains(digest) && slot.Model.IsValueCreated && slot.Model.Value.LastUsed <= idleSince)
                    Retire(digest, slot);
            }
        }
    }

    public void RetireAll()
    {
        lock (_gate)
        {
            foreach (var (digest, slot) in _slots)
                Retire(digest, slot);
        }
    }

    private Slot Add(ModelVersion version, Func<ModelVersion, LoadedModel> open)
    {
        lock (_gate)
        {
            if (_slots.TryGetValue(version.ManifestDigest, out var known))
                return known;
            var organization = version.OrganizationId;
            if (_slots.Values.Count(s => s.OrganizationId == organization) >= _maxPerOrganization)
                Evict(s => s.OrganizationId == organization, $"{_maxPerOrganization} versions of this organization");
            if (_slots.Count >= _maxTotal)
                Evict(_ => true, $"{_maxTotal} versions");
            var slot = new Slot(organization, new Lazy<LoadedModel>(() => open(version)), Interlocked.Increment(ref _clock));
            _slots[version.ManifestDigest] = slot;
            return slot;
        }
    }

    private void Evict(Func<Slot, bool> candidate, string cap)
    {
        var idle = _slots
            .Where(s => candidate(s.Value) && s.Value.Model.IsValueCreated && !s.Value.Model.Value.InFlight)
            .OrderBy(s => Interlocked.Read(ref s.Value.LastTouched))
            .FirstOrDefault();
        if (idle.Value is null)
            throw new InputException(503, $"The server already has {cap} loaded and every one is answering a request; retry in a second.");
        Retire(idle.Key, idle.Value);
    }

    private void Retire(string digest, Slot slot)
    {
        if (_slots.TryRemove(new(digest, slot)) && slot.Model.IsValueCreated)
            slot.Model.Value.Retire(); // the session closes after its last lease ends
    }

    /// <summary>A session and the organization whose request loaded it (whose per-organization cap it counts against).</summary>
    private sealed class Slot(string organizationId, Lazy<LoadedModel> model, long touched)
    {
        public string OrganizationId { get; } = organizationId;

        public Lazy<LoadedModel> Model { get; } = model;

        public long LastTouched = touched;
    }
}
