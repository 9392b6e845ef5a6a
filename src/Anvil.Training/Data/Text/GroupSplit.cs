using System.Security.Cryptography;
using System.Text;

namespace Anvil.Training.Data.Text;

/// <summary>
/// Splits documents so that no group crosses the split (near-copies stay together), stratified by label:
/// per class, groups are ordered by a seeded hash of their key and the first ones, up to the fraction of that
/// class's documents, go to the held-out part. Both parts come in a seeded order that mixes the classes.
/// Same documents and seed, same split and order, on every machine.
/// </summary>
public static class GroupSplit
{
    public static (List<TextDocument> Train, List<TextDocument> HeldOut) Split(IReadOnlyList<TextDocument> documents, double heldOutFraction, int seed)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (!(heldOutFraction > 0 && heldOutFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(heldOutFraction), heldOutFraction, "The held-out fraction must lie strictly between 0 and 1, e.g. 0.2.");
        var heldOutGroups = new HashSet<string>(StringComparer.Ordinal);
        foreach (var byLabel in documents.GroupBy(d => d.Label))
        {
            var target = (int)Math.Round(byLabel.Count() * heldOutFraction, MidpointRounding.AwayFromZero);
            var taken = 0;
            foreach (var group in byLabel.GroupBy(d => d.Group).OrderBy(g => Rank(g.Key, seed), StringComparer.Ordinal))
            {
                if (taken >= target)
                    break;
                heldOutGroups.Add(group.Key);
                taken += group.Count();
            }
        }

        // Each part in a seeded order, not the corpus's (one class folder after another), so the first
        // documents of a part (--limit) hold every class.
        var shuffled = documents.Select((d, i) => (Document: d, Rank: Rank($"{i}", seed))).OrderBy(x => x.Rank, StringComparer.Ordinal).Select(x => x.Document).ToList();
        var train = shuffled.Where(d => !heldOutGroups.Contains(d.Group)).ToList();
        var heldOut = shuffled.Where(d => heldOutGroups.Contains(d.Group)).ToList();
        if (train.Count == 0 || heldOut.Count == 0)
            throw new ArgumentException($"Splitting {documents.Count} documents at {heldOutFraction} leaves {train.Count} for training and {heldOut.Count} held out; both need documents. Use more data.", nameof(documents));
        return (train, heldOut);
    }

    internal static string Rank(string group, int seed) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\n{group}")));
}
