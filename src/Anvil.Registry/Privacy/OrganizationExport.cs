using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Anvil.Registry.Models;
using Anvil.Registry.Predictions;
using Anvil.Registry.Runs;
using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;
using Anvil.Registry.Tuning;
using Anvil.Registry.Usage;
using Anvil.Registry.Versions;

namespace Anvil.Registry.Privacy;

/// <summary>
/// Everything the registry holds of one organization, written as readable JSON plus its model versions' files:
/// what a customer asking for their data gets. Everything is read through the registry's own readers, so what they
/// decrypt is exported as plaintext; predictions and feedback are streamed a page at a time. Decision 0020.
/// </summary>
public sealed class OrganizationExport(RegistryDatabase db, AnvilHome home, TimeProvider time)
{
    public const string Format = "anvil.org-export/1";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    private static readonly JsonSerializerOptions Indented = new(Json) { WriteIndented = true };

    /// <summary>
    /// Writes the export of <paramref name="organizationName"/> into <paramref name="outDirectory"/> (new or empty).
    /// <paramref name="openVerifier"/> opens the key that checks version signatures, only when the organization has a version.
    /// </summary>
    public ExportSummary Write(string organizationName, string outDirectory, Func<ManifestSigner> openVerifier)
    {
        ArgumentNullException.ThrowIfNull(openVerifier);
        var organization = new Organizations(db, time).Get(organizationName);
        var directory = ExportDirectory.Create(outDirectory);
        try
        {
            return WriteAll(organization, directory, openVerifier);
        }
        catch
        {
            directory.Discard();
            throw;
        }
    }

    private ExportSummary WriteAll(Organization organization, ExportDirectory directory, Func<ManifestSigner> openVerifier)
    {
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);

        var members = new Organizations(db, time).Members(organization.Name);
        var keys = new ApiKeys(db, time).List(organization.Name);
        var plans = keys.Select(k => k.PlanName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(new Plans(db).Get).ToList();
        directory.WriteJson("organization.json", new { Organization = organization, Members = members, Plans = plans }, Indented);
        directory.WriteJson("keys.json", keys.Select(k => new
        {
            k.Id, Prefix = $"{ApiKeyFormat.Prefix}{k.Id}_", k.Name, Plan = k.PlanName, k.Role, Models = k.Models ?? ["*"],
            k.CreatedAt, k.ExpiresAt, k.RevokedAt,
        }), Indented); // ids and prefixes only: the registry never held a secret, and the hashes stay behind
        (counts["members"], counts["keys"]) = (members.Count, keys.Count);

        (counts["models"], counts["versions"]) = WriteModels(organization, openVerifier, directory);
        (counts["runs"], var runIds) = WriteRuns(organization, directory);
        (counts["studies"], counts["trials"]) = WriteStudies(organization, runIds, directory);
        (counts["predictions"], counts["feedback"]) = WritePredictions(organization, directory);
        (counts["usage_days"], counts["invoices"]) = WriteUsage(organization, directory);

        var files = directory.Index();
        directory.WriteJson(ExportDirectory.IndexFile, new
        {
            Format, Organization = organization.Name, ExportedAt = time.GetUtcNow(), Counts = counts, Files = files,
        }, Indented);
        return new ExportSummary(directory.Root, counts, files);
    }

    private (long Models, long Versions) WriteModels(Organization organization, Func<ManifestSigner> openVerifier, ExportDirectory directory)
    {
        ManifestSigner? verifier = null;
        try
        {
            var catalog = new ModelCatalog(db, time);
            var models = catalog.List(organization.Id);
            var written = new List<object>();
            long versions = 0;
            foreach (var model in models)
            {
                var entries = new List<object>();
                foreach (var version in catalog.Versions(organization.Id, model.Name))
                {
                    var folder = $"files/{model.Name}/v{version.Version}";
                    verifier ??= openVerifier();
                    var (manifest, names) = VersionFilesExport.Copy(catalog, version, verifier, directory, folder);
                    entries.Add(new
                    {
                        version.Version, version.ManifestDigest, version.RunId, version.CreatedAt,
                        Files = names.Select(name => $"{folder}/{name}"), Manifest = JsonNode.Parse(manifest),
                    });
                    versions++;
                }

                var policy = new PredictionLog(db, time).Policy(organization.Id, model.Name);
                written.Add(new { model.Name, model.CreatedAt, model.LatestVersion, model.Aliases, LogPolicy = policy, Versions = entries });
            }

            directory.WriteJson("models.json", written, Indented);
            return (models.Count, versions);
        }
        finally
        {
            verifier?.Dispose();
        }
    }

    private (long Runs, HashSet<string> Ids) WriteRuns(Organization organization, ExportDirectory directory)
    {
        var store = new RunStore(db, home, time);
        var runs = store.ListRuns(int.MaxValue, organizationId: organization.Id);
        directory.WriteJson("runs.json", runs.Select(run => new
        {
            run.Id, run.Name, run.Status, run.DatasetHash, run.StartedAt, run.FinishedAt, run.Parameters, run.Tags, run.Metrics, run.Epochs,
            Evaluation = store.FindEvaluation(run.Id) is { } document ? JsonNode.Parse(document) : null,
        }), Indented);
        return (runs.Count, runs.Select(run => run.Id).ToHashSet(StringComparer.Ordinal));
    }

    private (long Studies, long Trials) WriteStudies(Organization organization, HashSet<string> runIds, ExportDirectory directory)
    {
        var studies = new StudyStore(db, time).OfOrganization(organization.Id);
        var trialStore = new TrialStore(db, time, TimeSpan.FromMinutes(1));
        long trials = 0;
        var written = studies.Select(study =>
        {
            // A study is shared by name: only this organization's trials (those whose run is its own) are exported.
            var own = trialStore.Trials(study.Id).Where(t => t.RunId is { } run && runIds.Contains(run)).ToList();
            trials += own.Count;
            return new { study.Name, study.CreatedAt, Definition = JsonNode.Parse(study.Definition), Trials = own };
        }).ToList();
        directory.WriteJson("studies.json", written, Indented);
        return (studies.Count, trials);
    }

    private (long Predictions, long Feedback) WritePredictions(Organization organization, ExportDirectory directory)
    {
        long predictions = 0, feedback = 0;
        using var predictionLines = new StreamWriter(directory.CreateFile("predictions.jsonl"), new UTF8Encoding(false));
        using var feedbackLines = new StreamWriter(directory.CreateFile("feedback.jsonl"), new UTF8Encoding(false));
        foreach (var logged in new PredictionLog(db, time).All(organization.Id))
        {
            var p = logged.Prediction;
            predictionLines.WriteLine(JsonSerializer.Serialize(new
            {
                p.Id, Model = p.ModelName, Version = p.ModelVersion, logged.CreatedAt, p.InputShape, InputLogged = p.Input.Length > 0,
                Input = Readable(p), p.Label, p.LabelName, p.Probabilities,
            }, Json));
            predictions++;
            if (logged.Feedback is { } f)
            {
                feedbackLines.WriteLine(JsonSerializer.Serialize(new { f.PredictionId, f.Label, f.LabelName, f.Comment, f.CreatedAt, f.KeyId }, Json));
                feedback++;
            }
        }

        return (predictions, feedback);
    }

    /// <summary>A logged input as a person reads it: the text, the JSON object as sent, or the float32 numbers; null when not logged.</summary>
    private static JsonNode? Readable(PredictionRecord prediction)
    {
        if (prediction.Input.Length == 0)
            return null;
        var text = prediction.InputShape is "text" or "json" ? Encoding.UTF8.GetString(prediction.Input) : null;
        if (prediction.InputShape == "json")
        {
            try
            {
                return JsonNode.Parse(text!);
            }
            catch (JsonException)
            {
                return JsonValue.Create(text); // as sent, even when it no longer parses
            }
        }

        if (text is not null || prediction.Input.Length % sizeof(float) != 0)
            return JsonValue.Create(text ?? Convert.ToBase64String(prediction.Input));
        return JsonSerializer.SerializeToNode(MemoryMarshal.Cast<byte, float>(prediction.Input).ToArray(), Json);
    }

    private (long Days, long Invoices) WriteUsage(Organization organization, ExportDirectory directory)
    {
        var ledger = new UsageLedger(db, time);
        var days = ledger.UsageByDay(organization.Id, DateOnly.MinValue, DateOnly.MaxValue);
        var invoices = days.Select(d => (d.Day.Year, d.Day.Month)).Distinct().Select(m => ledger.Invoice(organization.Id, m.Year, m.Month)).ToList();
        directory.WriteJson("usage.json", new { Days = days, Invoices = invoices }, Indented);
        return (days.Count, invoices.Count);
    }
}
