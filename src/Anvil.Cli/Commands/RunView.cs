using System.Globalization;
using System.Text.Json;
using Anvil.Registry.Runs;

namespace Anvil.Cli.Commands;

/// <summary>
/// A run as people and scripts see it: the shown status (crashed when its heartbeat stopped), the recipe's
/// hyper-parameters as their own keys, and JSON whose recipe is an object, not an escaped string.
/// </summary>
internal static class RunView
{
    /// <summary>The parameters with the recipe's JSON spread out as <c>recipe.lr</c>, <c>recipe.optimizer</c>, …</summary>
    public static SortedDictionary<string, string> HyperParameters(Run run)
    {
        var all = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in run.Parameters)
        {
            if (AsJson(value) is { ValueKind: JsonValueKind.Object } json)
                Flatten(key, json, all);
            else
                all[key] = value;
        }

        return all;
    }

    public static object Json(Run run, DateTimeOffset now) => new
    {
        id = run.Id,
        name = run.Name,
        organization_id = run.OrganizationId,
        status = RunStatusNames.Shown(run, now),
        dataset_hash = run.DatasetHash,
        started_at = run.StartedAt,
        heartbeat_at = run.HeartbeatAt,
        finished_at = run.FinishedAt,
        artifacts_directory = run.ArtifactsDirectory,
        tags = run.Tags,
        parameters = run.Parameters.ToDictionary(p => p.Key, p => AsJson(p.Value) is { } json ? (object)json : p.Value),
        metrics = run.Metrics,
        epochs = run.Epochs.Select(e => new { epoch = e.Epoch, metrics = e.Metrics }),
    };

    public static object Summary(Run run, DateTimeOffset now) => new
    {
        id = run.Id,
        name = run.Name,
        status = RunStatusNames.Shown(run, now),
        started_at = run.StartedAt,
        tags = run.Tags,
        test_accuracy = run.Metrics.TryGetValue("test_accuracy", out var a) ? a : (double?)null,
    };

    public static string Number(double value) => double.IsNaN(value) ? "NaN" : value.ToString("G6", CultureInfo.InvariantCulture);

    private static JsonElement? AsJson(string value)
    {
        if (value.Length == 0 || value[0] is not ('{' or '['))
            return null;
        try
        {
            using var document = JsonDocument.Parse(value);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null; // a parameter that only looks like JSON stays text
        }
    }

    private static void Flatten(string prefix, JsonElement element, IDictionary<string, string> into)
    {
        if (element.ValueKind == JsonValueKind.Null)
            return; // an unset recipe field says nothing
        if (element.ValueKind != JsonValueKind.Object)
        {
            into[prefix] = element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();
            return;
        }

        foreach (var property in element.EnumerateObject())
            Flatten($"{prefix}.{property.Name}", property.Value, into);
    }
}
