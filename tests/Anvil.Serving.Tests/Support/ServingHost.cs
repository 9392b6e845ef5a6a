using System.Net.Http.Headers;
using Anvil.Export;
using Anvil.Registry;
using Anvil.Registry.Encryption;
using Anvil.Registry.Versions;
using Anvil.Serving;
using Anvil.Training.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Anvil.Serving.Tests.Support;

/// <summary>
/// A real server on a loopback port over a real SQLite registry in a temp ANVIL_HOME, with two
/// organizations (acme owns the models, globex owns nothing), real exported ONNX models, and a
/// fake clock for rate windows and alias polling.
/// </summary>
public sealed class ServingHost : IAsyncDisposable
{
    public static readonly string[] Classes = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private ServingHost(string directory, ServingOptions options)
    {
        Directory = directory;
        Home = new AnvilHome(directory);
        Database = RegistryDatabase.Open(new RegistryOptions(Home.DatabasePath) { KeyEncryptionKey = () => Kek }, Time);
        Signer = ManifestSigner.OpenOrCreate(Home);
        Options = options;
        Acme = new Organizations(Database).Create("acme");
        Globex = new Organizations(Database).Create("globex");
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    public string Directory { get; }

    public AnvilHome Home { get; }

    /// <summary>The test's own key-encryption key (never the user's real one).</summary>
    public KeyEncryptionKey Kek { get; } = KeyEncryptionKey.Generate();

    public RegistryDatabase Database { get; }

    public ManifestSigner Signer { get; }

    public ServingOptions Options { get; }

    public Organization Acme { get; }

    public Organization Globex { get; }

    public WebApplication App { get; private set; } = null!;

    public Uri BaseAddress { get; private set; } = null!;

    public ModelCatalog Catalog => new(Database, Time);

    public ApiKeys Keys => new(Database, Time);

    public UsageLedger Ledger => new(Database, Time);

    public static async Task<ServingHost> StartAsync(ServingOptions? options = null, Action<ServingHost>? beforeStart = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "anvil-serving-tests", Guid.NewGuid().ToString("N"));
        var host = new ServingHost(directory, (options ?? new ServingOptions()) with { Urls = "http://127.0.0.1:0", InferenceThreads = 1 });
        beforeStart?.Invoke(host);
        host.App = ServingApp.Build(host.Options, host.Database, host.Signer, host.Time);
        await host.App.StartAsync();
        host.BaseAddress = new Uri(host.App.Urls.First());
        return host;
    }

    /// <summary>
    /// Registers a new version of <paramref name="name"/> for <paramref name="organization"/> with weights from
    /// <paramref name="seed"/>; a text model seals <paramref name="vocabularyPath"/>.
    /// </summary>
    public ModelVersion AddVersion(Organization organization, string name = "fashion", int seed = 1, ModelSpec? spec = null, string? vocabularyPath = null, Anvil.Training.Data.CsvPolicy? csvPolicy = null)
    {
        TorchSharp.torch.manual_seed(seed);
        using var model = ModelBuilder.Build(spec ?? TinySpec());
        var origin = new ModelOrigin(null, "test-dataset", new Dictionary<string, double> { ["test_accuracy"] = 0.5 });
        var files = EncryptedVersions.Build(Catalog.FileKeys(organization.Id), Signer, Path.Combine(Home.Directory, "models"), // as ./anvil register stores it
            staging => ModelVersionBuilder.Build(model, origin, Signer, staging, vocabularyPath, csvPolicy));
        return Catalog.AddVersion(organization.Id, name, files.Directory, files.Digest, runId: null);
    }

    /// <summary>What ONNX Runtime answers in process for one sample (float[] or long[] ids) of acme's <paramref name="name"/> version 1.</summary>
    public float[] RunInProcess(string name, Array sample)
    {
        var version = Catalog.FindVersion(Acme.Id, name, 1)!;
        using var predictor = new Anvil.Serving.Inference.OnnxPredictor(Catalog.OpenFiles(version, Signer), 1);
        var output = new float[predictor.Outputs];
        predictor.Run(sample, 1, output);
        return output;
    }

    public static ModelSpec TinySpec() => new()
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

    /// <summary>Two dense layers on unscaled inputs: values near float32's limit overflow to ±infinity, and softmax then gives NaN.</summary>
    public static ModelSpec OverflowingSpec() => new()
    {
        Name = "overflowing-mlp",
        InputShape = [1, 28, 28],
        ClassNames = Classes,
        Preprocessing = new PreprocessingSpec { Scale = 1, Mean = [0f], Std = [1f] },
        Layers =
        [
            new LayerSpec { Type = "flatten" },
            new LayerSpec { Type = "dense", Units = 16, Activation = "relu" },
            new LayerSpec { Type = "dense" },
        ],
    };

    public string CreateKey(Organization organization, string plan = "enterprise", Role role = Role.Developer, DateTimeOffset? expiresAt = null, IReadOnlyList<string>? models = null) =>
        Keys.Create(organization.Name, plan, role, expiresAt, models: models).Secret;

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public T Service<T>() where T : notnull => App.Services.GetRequiredService<T>();

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
