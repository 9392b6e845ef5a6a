using Anvil.Registry.Predictions;
using Anvil.Registry.Versions;

namespace Anvil.Cli.Pipeline;

/// <summary>
/// Offline shadow evaluation: replays a model's last logged inputs through the champion and the challenger
/// (as served, in ONNX Runtime) and reports their agreement, and their accuracy where feedback exists.
/// Inputs of another shape (sent to an older version) and inputs sent by column name are skipped.
/// </summary>
internal static class ShadowEvaluation
{
    public static ShadowReport Replay(IReadOnlyList<LoggedInput> recent, VersionScorer champion, VersionScorer challenger)
    {
        var shape = string.Join(",", champion.SampleShape);
        var usable = recent.Where(r => r.Prediction.InputShape == shape).ToList();
        if (usable.Count == 0)
            return new ShadowReport(0, 0, 0, null, null);
        var inputs = usable.SelectMany(r => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(r.Prediction.Input).ToArray()).ToArray();
        var a = champion.Predict(inputs);
        var b = challenger.Predict(inputs);
        var agreement = (double)a.Zip(b).Count(p => p.First == p.Second) / usable.Count;
        var labelled = usable.Select((r, i) => (r.Feedback, i)).Where(x => x.Feedback is not null).ToList();
        if (labelled.Count == 0)
            return new ShadowReport(usable.Count, agreement, 0, null, null);
        double Accuracy(int[] predicted) => (double)labelled.Count(x => predicted[x.i] == x.Feedback!.Label) / labelled.Count;
        return new ShadowReport(usable.Count, agreement, labelled.Count, Accuracy(a), Accuracy(b));
    }

    /// <summary>One line for people.</summary>
    public static string Describe(ShadowReport r) => r.Replayed == 0
        ? "Shadow: no logged inputs of this model's shape to replay."
        : FormattableString.Invariant($"Shadow: {r.Replayed} last logged inputs replayed, champion and challenger agree on {r.Agreement * 100:0.00}%")
            + (r.Labelled == 0 ? "; none has feedback." : FormattableString.Invariant($"; on the {r.Labelled} with feedback the champion is right on {r.ChampionAccuracy * 100:0.00}%, the challenger on {r.ChallengerAccuracy * 100:0.00}%."));
}
