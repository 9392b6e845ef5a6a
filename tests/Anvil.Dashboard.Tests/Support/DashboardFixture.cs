using Anvil.Registry.Versions;
using Microsoft.Playwright;

namespace Anvil.Dashboard.Tests.Support;

/// <summary>
/// One server and one headless Debian Chromium for the dashboard tests (they run one after another in the
/// "dashboard" collection). Each test opens its own browser context, so cookies never leak between tests.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const int Port = 5611;

    private const string Chromium = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public DashboardHost Host { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string OwnerKey { get; private set; } = "";

    public string ViewerKey { get; private set; } = "";

    public string GlobexKey { get; private set; } = "";

    /// <summary>An acme viewer key scoped to the model "digits" only.</summary>
    public string DigitsViewerKey { get; private set; } = "";

    /// <summary>What a retrain's promotion gate records on the challenger's run (here wider-cnn, fashion v2).</summary>
    public static readonly IReadOnlyDictionary<string, double> Gate = new Dictionary<string, double>
    {
        ["gate_champion_test_accuracy"] = 0.81, ["gate_challenger_test_accuracy"] = 0.86, ["gate_mcnemar_p"] = 0.003, ["gate_promotable"] = 1,
    };

    public string GlobexKeyId => GlobexKey.Split('_')[1];

    public Run[] AcmeRuns { get; private set; } = [];

    public Run GlobexRun { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"The browser tests drive Debian's Chromium at {Chromium}; install it with: sudo apt-get install -y chromium");
        Host = await DashboardHost.StartAsync(Port);
        OwnerKey = Host.CreateKey(Host.Acme, Role.Owner, "acme-owner");
        ViewerKey = Host.CreateKey(Host.Acme, Role.Viewer, "acme-viewer");
        var developer = Host.CreateKey(Host.Acme, Role.Developer, "acme-app");
        GlobexKey = Host.CreateKey(Host.Globex, Role.Owner, "globex-secret-owner");
        AcmeRuns = [Host.AddRun(Host.Acme, "baseline-cnn", 0.001, 0.81), Host.AddRun(Host.Acme, "wider-cnn", 0.0005, 0.86, Gate), Host.AddRun(Host.Acme, "tiny-mlp", 0.01, 0.74)];
        GlobexRun = Host.AddRun(Host.Globex, "globex-secret-run", 0.1, 0.5);
        DashboardHost.AddPlots(AcmeRuns[1]);
        Host.AddEvaluation(AcmeRuns[0]);
        Host.AddEvaluation(GlobexRun);
        DashboardHost.AddPlots(GlobexRun);
        Host.AddTrust(Host.AddVersion(Host.Acme, "fashion", seed: 1, runId: AcmeRuns[0].Id));
        var tampered = Host.AddTrust(Host.AddVersion(Host.Acme, "fashion", seed: 2, runId: AcmeRuns[1].Id));
        File.AppendAllText(Path.Combine(tampered.Directory, TrustFiles.ReportFile), " "); // a changed byte: refused, never shown
        Host.Catalog.SetAlias(Host.Acme.Id, "fashion", "champion", 1);
        Host.AddVersion(Host.Acme, "digits", seed: 5);
        DigitsViewerKey = Host.CreateKey(Host.Acme, Role.Viewer, "digits-only", models: ["digits"]);
        Host.AddVersion(Host.Globex, "globex-rival", seed: 3);
        Host.AddVersion(Host.Globex, "globex-rival", seed: 4);
        Host.Catalog.SetAlias(Host.Globex.Id, "globex-rival", "champion", 1);
        await Host.PredictAndLabelAsync(developer, "fashion", 7, 7, 3);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh browser context (no cookies) and its page.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = Host.BaseAddress });
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page signed in with <paramref name="key"/>, on the runs page.</summary>
    public async Task<IPage> SignInAsync(string key)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/ui/signin");
        await page.GetByLabel("API key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        return page;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Host.DisposeAsync();
    }
}

[CollectionDefinition("dashboard")]
public sealed class DashboardTests : ICollectionFixture<DashboardFixture>;
