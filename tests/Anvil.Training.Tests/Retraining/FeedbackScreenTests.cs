using Anvil.Training.Retraining;

namespace Anvil.Training.Tests.Retraining;

public sealed class FeedbackScreenTests
{
    private const int Classes = 3;

    // One feedback item: who sent it, its label, and the class the champion is sure of (probability 0.96, the others 0.02).
    private sealed record Item(string? Key, int Label, int ChampionSays);

    private static FeedbackScreening Screen(IReadOnlyList<Item> items, long trainingExamples = 1_000, FeedbackScreen? screen = null)
    {
        var probabilities = new float[items.Count * Classes];
        for (var i = 0; i < items.Count; i++)
        {
            for (var c = 0; c < Classes; c++)
                probabilities[(i * Classes) + c] = c == items[i].ChampionSays ? 0.96f : 0.02f;
        }
        return (screen ?? new FeedbackScreen()).Screen([.. items.Select(i => i.Key)], [.. items.Select(i => (long)i.Label)], probabilities, Classes, trainingExamples);
    }

    // n items from a key, of which `wrong` carry a label the champion is sure is not it.
    private static IEnumerable<Item> From(string? key, int n, int wrong) =>
        Enumerable.Range(0, n).Select(i => new Item(key, i % Classes, i < wrong ? (i + 1) % Classes : i % Classes));

    [Fact]
    public void AKeyWhoseLabelsContradictTheChampionFarMoreThanTheOthersIsExcluded()
    {
        List<Item> items = [.. From("honest-1", 60, wrong: 3), .. From("poisoner", 40, wrong: 36), .. From("honest-2", 30, wrong: 2)];

        var screening = Screen(items);

        var poisoner = screening.Keys.Single(k => k.Key == "poisoner");
        Assert.Equal((KeyDecision.Excluded, 40, 36, 0), (poisoner.Decision, poisoner.Given, poisoner.Contradicted, poisoner.Used));
        Assert.InRange(poisoner.PValue!.Value, 0, 0.001 / 3);
        Assert.All(screening.Keys.Where(k => k.Key != "poisoner"), k => Assert.Equal(KeyDecision.Kept, k.Decision));
        Assert.Equal(90, screening.Kept.Count);
        Assert.DoesNotContain(screening.Kept, i => items[i].Key == "poisoner");
        Assert.Equal(screening.Kept.Order(), screening.Kept); // oldest first, as given
        Assert.Equal(40, screening.Dropped);
    }

    [Fact]
    public void AShiftEveryKeyReportsExcludesNobody()
    {
        // The champion is wrong for everyone (the data moved): every key contradicts it at about the same rate.
        List<Item> items = [.. From("a", 50, wrong: 40), .. From("b", 50, wrong: 43), .. From("c", 20, wrong: 15)];

        var screening = Screen(items);

        Assert.All(screening.Keys, k => Assert.Equal(KeyDecision.Kept, k.Decision));
        Assert.Equal(120, screening.Kept.Count);
    }

    [Fact]
    public void ASingleKeyOrAKeyWithFewItemsIsNotCompared()
    {
        var alone = Screen([.. From("only", 50, wrong: 50)]);
        Assert.Equal(KeyDecision.Kept, alone.Keys.Single().Decision);

        var few = Screen([.. From("honest", 50, wrong: 0), .. From("newcomer", 9, wrong: 9)]);
        Assert.Equal(KeyDecision.Kept, few.Keys.Single(k => k.Key == "newcomer").Decision);
    }

    [Fact]
    public void AKeyIsCappedAtItsShareOfTheRetrainingSetKeepingItsOldestItems()
    {
        // 100 training examples + 90 feedback items kept before the cap: at most 0.25 × 190 = 47 items per key.
        List<Item> items = [.. From("flood", 80, wrong: 0), .. From("other", 10, wrong: 0)];

        var screening = Screen(items, trainingExamples: 100, screen: new FeedbackScreen(MaxKeyShare: 0.25));

        Assert.Equal(47, screening.CapPerKey);
        var flood = screening.Keys.Single(k => k.Key == "flood");
        Assert.Equal((KeyDecision.Capped, 80, 47), (flood.Decision, flood.Given, flood.Used));
        Assert.Equal([.. Enumerable.Range(0, 47), .. Enumerable.Range(80, 10)], screening.Kept);
    }

    [Fact]
    public void FeedbackWithoutARecordedKeyCountsAsOneSender()
    {
        var screening = Screen([.. From(null, 30, wrong: 28), .. From("honest", 60, wrong: 1)]);

        var unknown = screening.Keys.Single(k => k.Key == FeedbackScreen.UnknownKey);
        Assert.Equal((KeyDecision.Excluded, 30), (unknown.Decision, unknown.Given));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void AShareOutsideZeroToOneIsRefusedWithTheOption(double share)
    {
        var error = Assert.Throws<ArgumentException>(() => Screen([.. From("a", 5, 0)], screen: new FeedbackScreen(MaxKeyShare: share)));
        Assert.Contains("--max-key-share", error.Message, StringComparison.Ordinal);
    }
}
