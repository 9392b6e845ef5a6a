using Anvil.Registry.Runs;

namespace Anvil.Cli.Commands;

/// <summary>
/// `anvil runs compare A B ...`: two or more runs side by side, one column each — the parameters that
/// differ (all of them with --all) and every run-level metric, as MLflow's compare view shows them.
/// </summary>
internal sealed class RunComparison
{
    private const string Missing = "-";

    public RunComparison(IReadOnlyList<Run> runs, bool allParameters)
    {
        if (runs.Count < 2)
            throw new ArgumentException("runs compare needs at least two runs, e.g. ./anvil runs compare 01a2b3 01a2c4.");
        if (runs.Select(r => r.Id).Distinct().Count() != runs.Count)
            throw new ArgumentException("runs compare was given the same run twice; name each run once.");
        Runs = runs;
        var hyper = runs.Select(RunView.HyperParameters).ToList();
        var tags = runs.Select(r => r.Tags.ToDictionary(t => "tag." + t.Key, t => t.Value)).ToList();
        Parameters = Rows(hyper.SelectMany(p => p.Keys).Concat(tags.SelectMany(t => t.Keys)), key =>
            runs.Select((_, i) => hyper[i].GetValueOrDefault(key) ?? tags[i].GetValueOrDefault(key) ?? Missing).ToList());
        if (!allParameters)
            Parameters = Parameters.Where(row => row.Value.Distinct().Count() > 1).ToDictionary();
        Metrics = Rows(runs.SelectMany(r => r.Metrics.Keys).Where(k => !k.Contains('/', StringComparison.Ordinal)), key =>
            runs.Select(r => r.Metrics.TryGetValue(key, out var v) ? RunView.Number(v) : Missing).ToList());
    }

    public IReadOnlyList<Run> Runs { get; }

    /// <summary>Row name to one value per run, in the order of <see cref="Runs"/>.</summary>
    public IReadOnlyDictionary<string, List<string>> Parameters { get; }

    public IReadOnlyDictionary<string, List<string>> Metrics { get; }

    public object Json() => new
    {
        runs = Runs.Select(r => new { id = r.Id, name = r.Name }),
        parameters = Parameters,
        metrics = Metrics,
    };

    public void Print(TextWriter output, bool allParameters)
    {
        var keyWidth = 2 + Math.Max(10, Parameters.Keys.Concat(Metrics.Keys).DefaultIfEmpty("").Max(k => k.Length));
        var widths = Runs.Select((r, i) => new[] { r.Name.Length, 12 }
            .Concat(Parameters.Values.Concat(Metrics.Values).Select(v => v[i].Length)).Max()).ToList();
        void Row(string key, IReadOnlyList<string> values) =>
            output.WriteLine($"{key.PadRight(keyWidth)}  " + string.Join("  ", values.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());

        Row("run", Runs.Select(r => r.Id[..12]).ToList());
        Row("name", Runs.Select(r => r.Name).ToList());
        output.WriteLine(allParameters ? "parameters:" : "parameters that differ (--all shows every one):");
        foreach (var (key, values) in Parameters)
            Row("  " + key, values);
        if (Parameters.Count == 0)
            output.WriteLine("  (none: the runs were trained with the same parameters)");
        output.WriteLine("metrics:");
        foreach (var (key, values) in Metrics)
            Row("  " + key, values);
    }

    private static Dictionary<string, List<string>> Rows(IEnumerable<string> keys, Func<string, List<string>> values) =>
        keys.Distinct().Order(StringComparer.Ordinal).ToDictionary(key => key, values);
}
