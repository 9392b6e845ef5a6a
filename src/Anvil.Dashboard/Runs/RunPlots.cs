namespace Anvil.Dashboard.Runs;

/// <summary>
/// The evaluation plots training writes into a run's artifacts folder (Anvil.Training's <c>RunArtifacts</c>:
/// <c>confusion_matrix.png</c>, <c>roc_curves.png</c>). They are files, not registry rows, so a server shows
/// them only when the run's folder is on its disk. Only these fixed names are ever opened.
/// </summary>
internal static class RunPlots
{
    public static readonly IReadOnlyDictionary<string, (string File, string Title)> All = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        ["confusion-matrix"] = ("confusion_matrix.png", "Confusion matrix of the test set"),
        ["roc"] = ("roc_curves.png", "ROC curves of the test set, one class against the rest"),
    };

    /// <summary>The plot's file in <paramref name="run"/>'s folder when it is a plain file there (never a link), else null.</summary>
    public static string? Find(Run run, string plot) =>
        All.TryGetValue(plot, out var known) && new FileInfo(Path.Combine(run.ArtifactsDirectory, known.File)) is { Exists: true, LinkTarget: null } file
            ? file.FullName
            : null;

    /// <summary>The plots <paramref name="run"/>'s folder holds, by name.</summary>
    public static IReadOnlyList<string> Present(Run run) => [.. All.Keys.Where(plot => Find(run, plot) is not null)];
}
