namespace Anvil.Serving.Api;

/// <summary>
/// Ids the server makes for requests and predictions: a prefix and a version-7 UUID (a millisecond timestamp,
/// then 74 random bits). Time-ordered ids land at the right-hand end of the ledger's indexes, so a commit
/// writes the few pages there, however many million rows the tables hold; random ids touched a page
/// somewhere in the middle per row, read it from disk and wrote it to the WAL again.
/// </summary>
internal static class ServerIds
{
    public static string New(string prefix) => prefix + Guid.CreateVersion7().ToString("N");
}
