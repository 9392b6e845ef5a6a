using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Anvil.Export;
using Anvil.Registry;
using Anvil.Registry.Encryption;
using Anvil.Registry.Storage;
using Anvil.Registry.Versions;
using Anvil.Serving;
using Anvil.Training.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Time.Testing;

namespace Anvil.Dashboard.Tests.Support;

/// <summary>
/// The real server (prediction API and dashboard in one process) on a loopback port, over a real SQLite registry
/// in a temp ANVIL_HOME: acme has runs, two versions of a real exported model, usage and feedback made through the
/// API; globex has a run, a model and a key of its own that acme must never see.
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    public static readonly string[] Classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private DashboardHost(string directory)
    {
        Directory = directory;
        Home = new AnvilHome(directory);
        Database = RegistryDatabase.Open(new RegistryOptions(Home.DatabasePath) { KeyEncryptionKey = () => Kek }, Time);
        Signer = ManifestSigner.OpenOrCreate(Home);
        Acme = new Organizations(Database).Create("acme");
        Globex = new Organizations(Database).Create("globex");
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public string Directory { get; }

    public AnvilHome Home { get; }

    /// <summary>The test's own key-encryption key (never the user's real one).</summary>
    public KeyEncryptionKey Kek { get; } = KeyEncryptionKey.Generate();

    public RegistryDatabase Database { get; }

    public ManifestSigner Signer { get; }

    public Organization Acme { get; }

    public Organization Globex { get; }

    public WebApplication App { get; private set; } = null!;

    public string BaseAddress { get; private set; } = null!;

    public ModelCatalog Catalog => new(Database, Time);

    public ApiKeys Keys => new(Database, Time);

    public RunStore Runs => new(Database, Home, Time);

    public static async Task<DashboardHost> StartAsync(int port)
    {
        var host = new DashboardHost(Path.Combine(Path.GetTempPath(), "anvil-dashboard-tests", Guid.NewGuid().ToString("N")));
        var options = new ServingOptions { Urls = $"http://127.0.0.1:{port}", InferenceThreads = 1, Home = host.Home };
        host.App = ServingApp.Build(options, host.Database, host.Signer, host.Time);
        await host.App.StartAsync();
        host.BaseAddress = host.App.Urls.First();
        return host;
    }

    /// <summary>A finished run with three epochs of losses and accuracy, parameters, a tag and a test accuracy.</summary>
    public Run AddRun(Organization organization, string name, double learningRate, double accuracy, IReadOnlyDictionary<string, double>? gate = null)
    {
        var runs = Runs;
        var run = runs.CreateRun(name, new Dictionary<string, string> { ["lr"] = learningRate.ToString(System.Globalization.CultureInfo.InvariantCulture), ["epochs"] = "3" },
            "sha256-dataset", new Dictionary<string, string> { ["team"] = "vision" }, organization.Id);
        for (var epoch = 1; epoch <= 3; epoch++)
            runs.LogEpoch(run.Id, epoch, new Dictionary<string, double> { ["train_loss"] = 1.0 / epoch, ["val_loss"] = 1.2 / epoch, ["val_accuracy"] = accuracy - 0.1 / epoch });
        runs.LogMetrics(run.Id, new Dictionary<string, double> { ["test_accuracy"] = accuracy });
        if (gate is not null)
            runs.LogMetrics(run.Id, gate);
        runs.Finish(run.Id, RunStatus.Finished);
        return runs.GetRun(run.Id);
    }

    /// <summary>Writes the confusion matrix and ROC plots training would write for <paramref name="run"/>, from real metrics on random scores.</summary>
    public static void AddPlots(Run run)
    {
        var (matrix, roc) = Evaluation();
        System.IO.Directory.CreateDirectory(run.ArtifactsDirectory);
        Anvil.Training.Plots.ConfusionMatrixPlot.Save(matrix.Compute(), Classes, Path.Combine(run.ArtifactsDirectory, "confusion_matrix.png"));
        Anvil.Training.Plots.RocPlot.Save(roc.Compute(), Classes, Path.Combine(run.ArtifactsDirectory, "roc_curves.png"));
    }

    /// <summary>Records <paramref name="run"/>'s test evaluation document in the registry, as training does.</summary>
    public void AddEvaluation(Run run)
    {
        var (matrix, roc) = Evaluation();
        Runs.LogEvaluation(run.Id, Anvil.Training.Runs.EvaluationDocument.ToJson(new Anvil.Training.Metrics.EvaluationReport(0, 0, matrix.Compute(), roc.Compute(), 200), Classes));
    }

    /// <summary>A confusion matrix and ROC curves of 200 random scores (seeded).</summary>
    private static (Anvil.Training.Metrics.ConfusionMatrix Matrix, Anvil.Training.Metrics.RocCurves Roc) Evaluation()
    {
        TorchSharp.torch.manual_seed(7);
        using var scores = TorchSharp.torch.randn(200, Classes.Length);
        using var targets = TorchSharp.torch.randint(0, Classes.Length, 200);
        var matrix = new Anvil.Training.Metrics.ConfusionMatrix(Classes.Length);
        var roc = new Anvil.Training.Metrics.RocCurves(Classes.Length);
        matrix.Update(scores, targets);
        roc.Update(scores, targets);
        return (matrix, roc);
    }

    /// <summary>Registers a new version of a real exported tiny CNN for <paramref name="organization"/>.</summary>
    public ModelVersion AddVersion(Organization organization, string name, int seed, string? runId = null)
    {
        TorchSharp.torch.manual_seed(seed);
        using var model = ModelBuilder.Build(TinySpec());
        var origin = new ModelOrigin(runId, "test-dataset", new Dictionary<string, double> { ["test_accuracy"] = 0.5 + seed / 100.0 });
        var files = EncryptedVersions.Build(Catalog.FileKeys(organization.Id), Signer, Path.Combine(Home.Directory, "models"), staging => ModelVersionBuilder.Build(model, origin, Signer, staging));
        return Catalog.AddVersion(organization.Id, name, files.Directory, files.Digest, runId);
    }

    /// <summary>Writes a signed trust report with test metrics and robust accuracy measured and the rest not measured.</summary>
    public ModelVersion AddTrust(ModelVersion version)
    {
        var measured = TrustSection.Of($"run {version.RunId}", new Dictionary<string, double> { ["robust_accuracy"] = 0.41, ["robust_accuracy_linf_0.1"] = 0.41 }, "an upper bound");
        TrustFiles.Write(version.Directory, new TrustReport
        {
            ManifestDigest = version.ManifestDigest, RunId = version.RunId, DatasetHash = "test-dataset", CodeVersion = "1.0.0+test", CreatedAt = Time.GetUtcNow(),
            Metrics = TrustSection.Of($"run {version.RunId}", new Dictionary<string, double> { ["test_accuracy"] = 0.51 }),
            RocAuc = TrustSection.Missing("the run records no AUC"), CrossValidation = TrustSection.Missing("no cv run of this dataset"),
            Robustness = measured, Privacy = TrustSection.Missing("not trained with differential privacy"), DataAudit = TrustSection.Missing("no audit of this dataset"),
        }, Signer, _ => new Dictionary<string, byte[]>());
        return version;
    }

    public string CreateKey(Organization organization, Role role, string name, IReadOnlyList<string>? models = null) =>
        Keys.Create(organization.Name, "enterprise", role, name: name, models: models).Secret;

    /// <summary>Predicts <paramref name="labels"/>.Length images through the API with <paramref name="key"/> and gives each its label as feedback.</summary>
    public async Task PredictAndLabelAsync(string key, string model, params int[] labels)
    {
        using var client = new HttpClient { BaseAddress = new Uri(BaseAddress) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        for (var i = 0; i < labels.Length; i++)
        {
            var random = new Random(i);
            float[][][] image = [Enumerable.Range(0, 28).Select(_ => Enumerable.Range(0, 28).Select(_ => (float)random.Next(256)).ToArray()).ToArray()];
            using var predicted = await client.PostAsync($"/v1/models/{model}/predict", Json(new { inputs = new[] { image } }));
            predicted.EnsureSuccessStatusCode();
            var id = (await predicted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("predictions")[0].GetProperty("id").GetString()!;
            using var stored = await client.PostAsync($"/v1/predictions/{id}/feedback", Json(new { label = labels[i] }));
            stored.EnsureSuccessStatusCode();
        }
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static ModelSpec TinySpec() => new()
    {
        Name = "tiny-cnn",
        InputShape = [1, 28, 28],
        ClassNames = Classes,
        Preprocessing = new PreprocessingSpec { Scale = 1 / 255.0, Mean = [0.286f], Std = [0.353f] },
        Layers =
        [
            new LayerSpec { Type = "conv2d", Filters = 4, Kernel = 3, Activation = "relu" },
            new LayerSpec { Type = "maxpool2d", Size = 2 },
            new LayerSpec { Type = "flatten" },
            new LayerSpec { Type = "dense" },
        ],
    };

    public async ValueTask DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        Signer.Dispose();
        Database.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
