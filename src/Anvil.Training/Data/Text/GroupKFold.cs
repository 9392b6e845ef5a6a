namespace Anvil.Training.Data.Text;

/// <summary>
/// k folds of documents that keep every group (near-copies) in one fold, the grouping <see cref="GroupSplit"/> uses for
/// the test split. Groups are dealt per class, in the order of a seeded hash of their key, each to the fold holding the
/// fewest documents of that class so far (then the fewest overall), so folds are near the same size and class mix. A group whose documents carry
/// more than one label goes with its first document's class. Same documents and seed, same folds on every machine.
/// </summary>
/// <example>
/// <code>foreach (var (train, heldOut) in new GroupKFold(5, seed: 42).Split(documents)) { /* fit on train, score heldOut */ }</code>
/// </example>
public sealed class GroupKFold
{
    /// <summary>Creates a splitter into <paramref name="k"/> folds (at least 2).</summary>
    public GroupKFold(int k, int seed)
    {
        if (k < 2)
            throw new ArgumentOutOfRangeException(nameof(k), k, "k-fold cross-validation needs k >= 2 folds, e.g. 5 or 10.");
        K = k;
        Seed = seed;
    }

    /// <summary>Number of folds.</summary>
    public int K { get; }

    /// <summary>Seed of the group order.</summary>
    public int Seed { get; }

    /// <summary>Per fold, the other folds' documents (training) and the fold's own (held out), each in the input's order.</summary>
    public IReadOnlyList<(List<TextDocument> Train, List<TextDocument> HeldOut)> Split(IReadOnlyList<TextDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var groups = documents.GroupBy(d => d.Group, StringComparer.Ordinal).ToList();
        if (groups.Count < K)
            throw new ArgumentException($"{K}-fold cross-validation of texts needs at least {K} groups of near-copies; the {documents.Count} texts form {groups.Count}. Use fewer --folds or more data.", nameof(documents));
        var foldOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var totals = new int[K];
        foreach (var byLabel in groups.GroupBy(g => g.First().Label).OrderBy(l => l.Key))
        {
            var sizes = new int[K];
            foreach (var group in byLabel.OrderBy(g => GroupSplit.Rank(g.Key, Seed), StringComparer.Ordinal))
            {
                // fewest of this class, then fewest overall: with at least K groups, no fold is left empty
                var fold = Enumerable.Range(0, K).MinBy(f => ((long)sizes[f] << 32) + totals[f]);
                foldOf[group.Key] = fold;
                sizes[fold] += group.Count();
                totals[fold] += group.Count();
            }
        }
        return [.. Enumerable.Range(0, K).Select(f => (
            documents.Where(d => foldOf[d.Group] != f).ToList(),
            documents.Where(d => foldOf[d.Group] == f).ToList()))];
    }
}
