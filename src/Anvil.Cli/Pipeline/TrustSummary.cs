using System.Globalization;
using System.Net;
using System.Text;
using Anvil.Registry.Versions;
using Anvil.Training.Plots;

namespace Anvil.Cli.Pipeline;

/// <summary>A trust report's one-page summary: <c>trust.html</c> (every section, measured or not) and <c>trust.png</c> (the headline figures).</summary>
internal static class TrustSummary
{
    public static IReadOnlyDictionary<string, byte[]> Render(TrustReport report) => new Dictionary<string, byte[]>
    {
        [TrustFiles.PageFile] = Encoding.UTF8.GetBytes(Page(report)),
        [TrustFiles.ChartFile] = TrustPlot.Render($"Trust report, manifest {report.ManifestDigest[..12]}…", Headline(report)),
    };

    /// <summary>The figures on a 0–1 scale a reader looks at first; null where not measured.</summary>
    public static IReadOnlyList<(string Label, double? Value)> Headline(TrustReport report) =>
    [
        ("test accuracy", report.Figure("test_accuracy")),
        ("macro AUC", report.Figure("test_macro_auc")),
        ("cross-validated accuracy", report.Figure("cv_mean_accuracy")),
        ("robust accuracy (strongest ε attacked)", report.Figure("robust_accuracy")),
        ("estimated label noise (audit)", report.Figure("audit_estimated_noise_rate")),
    ];

    private static string Page(TrustReport report)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Trust report</title><style>")
            .Append("body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}td,th{padding:.2rem .8rem;text-align:left}")
            .Append(".missing{color:#a00}.note{color:#555;font-size:.9rem}code{font-size:.85rem}</style></head><body>")
            .Append("<h1>Trust report</h1><p>Manifest <code>").Append(Encode(report.ManifestDigest)).Append("</code>, run <code>")
            .Append(Encode(report.RunId ?? "none")).Append("</code><br>Dataset hash <code>").Append(Encode(report.DatasetHash ?? "not recorded"))
            .Append("</code><br>Code version <code>").Append(Encode(report.CodeVersion)).Append("</code> (Anvil's version + the git commit it was built from)<br>Written ")
            .Append(report.CreatedAt.ToString("u", CultureInfo.InvariantCulture))
            .Append(". The signed record is trust.json; <code>./anvil models trust NAME --org ORG</code> verifies it.</p><img src=\"")
            .Append(TrustFiles.ChartFile).Append("\" alt=\"headline figures\">");
        foreach (var (name, section) in report.Sections)
        {
            html.Append("<h2>").Append(Encode(name.Replace('_', ' '))).Append("</h2>");
            if (!section.IsMeasured)
            {
                html.Append("<p class=\"missing\">Not measured: ").Append(Encode(section.Note ?? "")).Append("</p>");
                continue;
            }

            html.Append("<p class=\"note\">From ").Append(Encode(section.Source ?? "")).Append(section.Note is null ? "" : ". " + Encode(section.Note)).Append("</p><table>");
            foreach (var (figure, value) in section.Values)
                html.Append("<tr><th>").Append(Encode(figure)).Append("</th><td>").Append(value.ToString("G6", CultureInfo.InvariantCulture)).Append("</td></tr>");
            html.Append("</table>");
        }

        return html.Append("</body></html>").ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
