namespace Anvil.Training.Audit;

/// <summary>An example whose given label is likely wrong: the class the model gives it instead, and both probabilities.</summary>
public sealed record LabelIssue(int Index, int GivenLabel, int SuggestedLabel, float GivenLabelProbability, float SuggestedLabelProbability);

/// <summary>What <see cref="ConfidentLearning"/> found: the flagged examples (least likely given label first) and its estimates.</summary>
/// <param name="EstimatedCounts">[given, true]: how many examples labelled <c>given</c> belong to <c>true</c>, estimated.</param>
/// <param name="Thresholds">Per class, the mean probability the model gives it on the examples labelled with it.</param>
/// <param name="ClassSizes">Examples per given label.</param>
public sealed record LabelAudit(IReadOnlyList<LabelIssue> Issues, long[,] EstimatedCounts, double[] Thresholds, long[] ClassSizes)
{
    /// <summary>The estimated share of examples whose given label is wrong (the off-diagonal of <see cref="EstimatedCounts"/>).</summary>
    public double EstimatedNoiseRate
    {
        get
        {
            long off = 0, all = 0;
            for (var given = 0; given < ClassSizes.Length; given++)
            {
                for (var truth = 0; truth < ClassSizes.Length; truth++)
                {
                    all += EstimatedCounts[given, truth];
                    if (given != truth)
                        off += EstimatedCounts[given, truth];
                }
            }

            return all == 0 ? 0 : (double)off / all;
        }
    }

    /// <summary>The off-diagonal cells with an estimated count, largest first: which classes are mistaken for which.</summary>
    public IReadOnlyList<(int Given, int Likely, long Count)> Confusions() =>
        [.. from given in Enumerable.Range(0, ClassSizes.Length)
            from truth in Enumerable.Range(0, ClassSizes.Length)
            where given != truth && EstimatedCounts[given, truth] > 0
            orderby EstimatedCounts[given, truth] descending, given, truth
            select (given, truth, EstimatedCounts[given, truth])];
}
