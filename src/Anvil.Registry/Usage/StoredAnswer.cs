using Anvil.Registry.Storage;

namespace Anvil.Registry.Usage;

/// <summary>The usage event that holds a request id's answer: its id, body hash, response and when it was billed.</summary>
internal sealed record StoredAnswer(string Id, string Hash, string Response, string CreatedAt)
{
    /// <summary>True while the answer is replayed: billed after <paramref name="replayableSince"/> (stored times sort as text).</summary>
    public bool IsLive(DateTimeOffset replayableSince) => string.CompareOrdinal(CreatedAt, TimeText.From(replayableSince)) > 0;
}
