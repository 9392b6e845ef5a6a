using Anvil.Training.Audit;

namespace Anvil.Training.Tests.Audit;

public sealed class ConfidentLearningTests
{
    /// <summary>
    /// Three classes, 100 examples each; the model is right and fairly sure about every example (0.6–0.9 on the
    /// true class), and the examples at the given indexes carry another class's label.
    /// </summary>
    private static (float[] Probabilities, long[] Labels, long[] Truth) Noisy(int[] flipped, int seed)
    {
        const int K = 3, N = 300;
        var random = new Random(seed);
        var truth = Enumerable.Range(0, N).Select(i => (long)(i % K)).ToArray();
        var p = new float[N * K];
        for (var i = 0; i < N; i++)
        {
            var top = 0.6f + (0.3f * (float)random.NextDouble());
            var rest = (1 - top) * (float)random.NextDouble();
            for (var c = 0; c < K; c++)
                p[(i * K) + c] = c == truth[i] ? top : c == (truth[i] + 1) % K ? rest : 1 - top - rest;
        }

        var labels = (long[])truth.Clone();
        foreach (var i in flipped)
            labels[i] = (truth[i] + 1 + random.Next(2)) % K;
        return (p, labels, truth);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void FlippedLabelsAreFoundWithTheClassTheyBelongTo(int seed)
    {
        int[] flipped = [3, 17, 40, 41, 99, 150, 151, 200, 260, 299];
        var (p, labels, truth) = Noisy(flipped, seed);

        var audit = ConfidentLearning.Find(p, labels, classes: 3, LabelIssueFilter.PruneByNoiseRate);

        // the model agrees with every clean label, so nothing clean is flagged; a flipped example whose true class is
        // below that class's threshold may be missed, which the calibration of the joint mostly makes up for
        Assert.All(audit.Issues, issue =>
        {
            Assert.Contains(issue.Index, flipped);
            Assert.Equal(truth[issue.Index], issue.SuggestedLabel);
            Assert.Equal(labels[issue.Index], issue.GivenLabel);
            Assert.True(issue.SuggestedLabelProbability > issue.GivenLabelProbability);
        });
        Assert.True(audit.Issues.Count >= 8, $"found {audit.Issues.Count} of 10");
        Assert.InRange(audit.EstimatedNoiseRate, 0.02, 0.05); // 10 of 300 flipped: 3.3%
        Assert.InRange(audit.Confusions().Sum(c => c.Count), 6, 15);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TheBothFilterFlagsOnlyExamplesConfidentlyOfAnotherClass(int seed)
    {
        int[] flipped = [3, 17, 40, 41, 99, 150, 151, 200, 260, 299];
        var (p, labels, _) = Noisy(flipped, seed);
        var wider = ConfidentLearning.Find(p, labels, classes: 3, LabelIssueFilter.PruneByNoiseRate);

        var audit = ConfidentLearning.Find(p, labels, classes: 3, LabelIssueFilter.Both);

        Assert.NotEmpty(audit.Issues);
        Assert.Subset(wider.Issues.Select(i => i.Index).ToHashSet(), audit.Issues.Select(i => i.Index).ToHashSet());
        Assert.All(audit.Issues, issue =>
        {
            Assert.Contains(issue.Index, flipped);
            Assert.True(issue.SuggestedLabelProbability >= audit.Thresholds[issue.SuggestedLabel]);
        });
        Assert.All(wider.Issues.Where(i => i.SuggestedLabelProbability >= wider.Thresholds[i.SuggestedLabel]),
            issue => Assert.Contains(audit.Issues, i => i.Index == issue.Index)); // only the unsure ones are left out
        Assert.Equal(wider.EstimatedCounts, audit.EstimatedCounts);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TheDefaultFilterFlagsTheLeastSelfConfidentAsManyAsAreConfidentlyOfAnotherClass(int seed)
    {
        int[] flipped = [3, 17, 40, 41, 99, 150, 151, 201, 260, 298];
        var (p, labels, _) = Noisy(flipped, seed);
        void Set(int i, float p0, float p1, float p2) => (p[i * 3], p[(i * 3) + 1], p[(i * 3) + 2]) = (p0, p1, p2);
        foreach (var i in flipped)
        {
            var unsure = Array.IndexOf(flipped, i) < 4; // the first four: the true class below its threshold
            for (var c = 0; c < 3; c++)
                p[(i * 3) + c] = c == i % 3 ? (unsure ? 0.6f : 0.9f) : c == labels[i] ? (unsure ? 0.02f : 0.05f) : (unsure ? 0.38f : 0.05f);
        }

        int[] confused = [5, 20, 35, 50]; // clean class-2 examples the model is sure are class 1, though 0.13 for their label
        foreach (var i in confused)
            Set(i, 0.02f, 0.85f, 0.13f);
        var unsureOfLabel = Enumerable.Range(0, 300).Where(i => i % 3 == 2 && i % 5 == 0 && i > 50 && !flipped.Contains(i)).ToArray();
        foreach (var i in unsureOfLabel)
            Set(i, 0.05f, 0.5f, 0.45f); // class 2 taken, unsure, for class 1

        var audit = ConfidentLearning.Find(p, labels, classes: 3);
        var both = ConfidentLearning.Find(p, labels, classes: 3, LabelIssueFilter.Both);

        // as many as are confidently of another class (6 sure flips + 4 confused), the least self-confident first: every flip
        // confident class: the likeliest of the classes at or above their threshold, −1 when none is
        int Confident(int i) => Enumerable.Range(0, 3).Where(c => p[(i * 3) + c] >= audit.Thresholds[c]).DefaultIfEmpty(-1).MaxBy(c => c < 0 ? 0 : p[(i * 3) + c]);
        int Predicted(int i) => Enumerable.Range(0, 3).MaxBy(c => p[(i * 3) + c]);
        var confidentlyElsewhere = Enumerable.Range(0, 300).Count(i => Predicted(i) != labels[i] && Confident(i) >= 0 && Confident(i) != labels[i]);
        Assert.Equal(10, confidentlyElsewhere);
        Assert.Equal(flipped, audit.Issues.Select(i => i.Index).Order());
        Assert.Equal(audit.Issues.OrderBy(i => i.GivenLabelProbability).Select(i => i.Index), audit.Issues.Select(i => i.Index));
        // the stricter filter keeps the confused clean examples and loses the unsure flips
        Assert.Superset(confused.ToHashSet(), both.Issues.Select(i => i.Index).ToHashSet());
        Assert.DoesNotContain(both.Issues, i => Array.IndexOf(flipped, i.Index) is >= 0 and < 4);
    }

    [Fact]
    public void CleanLabelsGiveNoIssues()
    {
        var (p, labels, _) = Noisy([], seed: 4);

        var audit = ConfidentLearning.Find(p, labels, classes: 3);

        Assert.Empty(audit.Issues);
        Assert.Equal(0, audit.EstimatedNoiseRate);
    }

    [Fact]
    public void AnExampleTheModelAgreesWithIsNeverFlagged()
    {
        // thresholds: class 0 = mean p(0) over examples labelled 0 = (0.55 + 0.95 + 0.15) / 3 = 0.55; class 1 = 0.6
        float[] p = [0.55f, 0.45f, 0.9f, 0.1f, 0.95f, 0.05f, 0.1f, 0.9f, 0.15f, 0.85f, 0.2f, 0.8f];
        long[] labels = [0, 1, 0, 1, 0, 1];

        var audit = ConfidentLearning.Find(p, labels, classes: 2, LabelIssueFilter.PruneByNoiseRate);

        Assert.Equal([1, 4], audit.Issues.Select(i => i.Index).Order()); // labelled against a sure model; index 0 is unsure but agrees
        Assert.Equal(new long[,] { { 2, 1 }, { 1, 2 } }, audit.EstimatedCounts);
        Assert.Equal([0.55, 0.6], audit.Thresholds.Select(t => Math.Round(t, 6)));
    }

    [Fact]
    public void OneClassOrMismatchedShapesAreClearErrors()
    {
        var one = Assert.Throws<ArgumentException>(() => ConfidentLearning.Find([0.9f, 0.1f, 0.8f, 0.2f], [0, 0], classes: 2));
        Assert.Contains("at least two classes", one.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ConfidentLearning.Find([0.9f, 0.1f], [0, 1], classes: 2));
        Assert.Throws<ArgumentException>(() => ConfidentLearning.Find([0.9f, 0.1f, 0.8f, 0.2f], [0, 2], classes: 2));
    }
}
