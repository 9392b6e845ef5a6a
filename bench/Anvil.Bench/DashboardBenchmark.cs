using System.Diagnostics;
using Anvil.Export;
using Anvil.Registry;
using Anvil.Registry.Models;
using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;
using Anvil.Registry.Versions;
using Anvil.Serving;
using Anvil.Training.Models;

namespace Anvil.Bench;

/// <summary>
/// Every dashboard page requested over HTTP from the real server (`./anvil serve`'s ServingApp, SQLite registry)
/// with 1,000 runs and 1,000,000 usage events: median and p95 latency per page, sequential requests after a warm-up.
/// </summary>
internal static class DashboardBenchmark
{
    public static object Run(int requests, string url)
    {
        var directory = Path.Combine(Path.GetTempPath(), "anvil-dashboard-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var home = new AnvilHome(directory);
            using var db = RegistryDatabase.Open(new RegistryOptions(home.DatabasePath) { KeyEncryptionKey = Anvil.Registry.Encryption.KeyEncryptionKey.Generate }, TimeProvider.System);
            using var signer = ManifestSigner.OpenOrCreate(home);
            var organization = new Organizations(db).Create("bench");
            new Plans(db).Save(new Plan("bench", 100_000_000, 100_000_000_000, 200_000));
            var keys = new ApiKeys(db, TimeProvider.System);
            var key = keys.Create("bench", "bench", Role.Owner, name: "bench-owner").Key;
            var catalog = new ModelCatalog(db, TimeProvider.System);
            var models = new List<(string Id, string Name)>();
            foreach (var name in new[] { "fashion", "digits", "sentiment" })
            {
                for (var seed = 1; seed <= 3; seed++)
                    models.Add((Version(catalog, signer, home, organization.Id, name, seed).ModelId, name));
                catalog.SetAlias(organization.Id, name, "champion", 2);
            }

            var seeding = Stopwatch.StartNew();
            DashboardSeed.Fill(home.DatabasePath, organization.Id, key.Id, models.DistinctBy(m => m.Name).ToList(), runs: 1000, events: 1_000_000, feedback: 20_000, DateTimeOffset.UtcNow);
            seeding.Stop();
            var store = new Anvil.Registry.Runs.RunStore(db, home, TimeProvider.System);
            var runIds = store.ListRuns(3).Select(run => run.Id).ToList();
            foreach (var id in runIds)
                store.LogEvaluation(id, Evaluation());

            var app = ServingApp.Build(new ServingOptions { Urls = url, Home = home, InferenceThreads = 1 }, db, signer, TimeProvider.System);
            app.StartAsync().GetAwaiter().GetResult();
            try
            {
                var (token, _) = new WebSessions(db, TimeProvider.System).Open(key);
                using var client = new HttpClient { BaseAddress = new Uri(url) };
                client.DefaultRequestHeaders.Add("Cookie", $"anvil_session={token}");
                var pages = new[]
                {
                    "/ui/runs", "/ui/runs?status=finished&tag=team%3Dvision&name=run-09", $"/ui/runs/{runIds[0]}",
                    $"/ui/runs/compare?id={runIds[0]}&id={runIds[1]}&id={runIds[2]}", "/ui/models", "/ui/models/fashion",
                    "/ui/usage", "/ui/keys", "/ui/feedback",
                };
                return new
                {
                    contender = "dashboard",
                    seed_seconds = Math.Round(seeding.Elapsed.TotalSeconds, 1),
                    requests_per_page = requests,
                    pages = pages.Select(page => Measure(client, page, requests)).ToList(),
                };
            }
            finally
            {
                app.StopAsync().GetAwaiter().GetResult();
                ((IDisposable)app).Dispose();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static ModelVersion Version(ModelCatalog catalog, ManifestSigner signer, AnvilHome home, string organizationId, string name, int seed)
    {
        TorchSharp.torch.manual_seed(seed);
        using var model = ModelBuilder.Build(new ModelSpec
        {
            Name = "bench-mlp",
            InputShape = [1, 28, 28],
            ClassNames = [.. Enumerable.Range(0, 10).Select(i => $"class-{i}")],
            Preprocessing = new PreprocessingSpec { Scale = 1 / 255.0, Mean = [0.286f], Std = [0.353f] },
            Layers = [new LayerSpec { Type = "flatten" }, new LayerSpec { Type = "dense" }],
        });
        var files = ModelVersionBuilder.Build(model, new ModelOrigin(null, "bench", new Dictionary<string, double> { ["test_accuracy"] = 0.8 }), signer, Path.Combine(home.Directory, "models"));
        return catalog.AddVersion(organizationId, name, files.Directory, files.Digest, null);
    }

    /// <summary>A 10-class test evaluation of 10,000 random scores, as training records it.</summary>
    private static string Evaluation()
    {
        TorchSharp.torch.manual_seed(1);
        using var scores = TorchSharp.torch.randn(10_000, 10);
        using var targets = TorchSharp.torch.randint(0, 10, 10_000);
        var matrix = new Anvil.Training.Metrics.ConfusionMatrix(10);
        var roc = new Anvil.Training.Metrics.RocCurves(10);
        matrix.Update(scores, targets);
        roc.Update(scores, targets);
        return Anvil.Training.Runs.EvaluationDocument.ToJson(
            new Anvil.Training.Metrics.EvaluationReport(0, 0, matrix.Compute(), roc.Compute(), 10_000), [.. Enumerable.Range(0, 10).Select(i => $"class-{i}")]);
    }

    private static object Measure(HttpClient client, string page, int requests)
    {
        for (var i = 0; i < Math.Max(5, requests / 10); i++)
            Get(client, page);
        var times = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            Get(client, page);
            times[i] = clock.Elapsed.TotalMilliseconds;
        }

        Array.Sort(times);
        return new { page, median_ms = Math.Round(times[requests / 2], 2), p95_ms = Math.Round(times[(int)Math.Ceiling(requests * 0.95) - 1], 2) };
    }

    private static void Get(HttpClient client, string page)
    {
        using var response = client.GetAsync(page).GetAwaiter().GetResult();
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"{page} answered {(int)response.StatusCode}.");
        response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
    }
}
