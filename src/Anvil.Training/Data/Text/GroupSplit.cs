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
        var (train, heldOut) = SplitIndices(documents, heldOutFraction, seed);
        return ([.. train.Select(i => documents[i])], [.. heldOut.Select(i => documents[i])]);
    }

    /// <summary>The same split as row indices into <paramref name="documents"/>, each part in its seeded order.</summary>
    public static (int[] Train, int[] HeldOut) SplitIndices(IReadOnlyList<TextDocument> documents, double heldOutFraction, int seed)
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
        var shuffled = Enumerable.Range(0, documents.Count).OrderBy(i => Rank($"{i}", seed), StringComparer.Ordinal).ToList();
        var train = shuffled.Where(i => !heldOutGroups.Contains(documents[i].Group)).ToArray();
        var heldOut = shuffled.Where(i => heldOutGroups.Contains(documents[i].Group)).ToArray();
        if (train.Length == 0 || heldOut.Length == 0)
            throw new ArgumentException($"Splitting {documents.Count} documents at {heldOutFraction} leaves {train.Length} for training and {heldOut.Length} held out; both need documents. Use more data.", nameof(documents));
        return (train, heldOut);
    }

    internal static string Rank(string group, int seed) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}\n{group}")));
}
