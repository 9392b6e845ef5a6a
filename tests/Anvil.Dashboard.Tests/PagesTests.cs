using Anvil.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Anvil.Dashboard.Tests;

/// <summary>
/// Every page renders the organization's data. With ANVIL_DASHBOARD_SCREENSHOTS set to a folder, each page is
/// also saved there as a PNG (how docs/dashboard/*.png are made).
/// </summary>
[Collection("dashboard")]
public sealed class PagesTests(DashboardFixture fixture)
{
    private static readonly string? ScreenshotFolder = Environment.GetEnvironmentVariable("ANVIL_DASHBOARD_SCREENSHOTS");

    [Fact]
    public async Task RunsPageListsTheOrganizationsRunsAndFilters()
    {
        var page = await fixture.SignInAsync(fixture.ViewerKey);
        var rows = page.Locator("tbody tr");
        Assert.Equal(3, await rows.CountAsync());
        Assert.Contains("wider-cnn", await page.Locator("tbody").TextContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "runs");

        await page.GetByLabel("Name contains").FillAsync("cnn");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        Assert.Equal(2, await rows.CountAsync());
        await page.GotoAsync("/ui/runs?status=failed");
        Assert.Contains("No runs match", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);
        await page.GotoAsync("/ui/runs?tag=team%3Dvision&status=finished");
        Assert.Equal(3, await rows.CountAsync());
        var refused = await page.GotoAsync("/ui/runs?status=exploded");
        Assert.Equal(400, refused!.Status);
        Assert.Contains("choose running, finished, failed or interrupted", await page.Locator("[role=alert]").TextContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunPageDrawsTheStoredEpochCurvesAndShowsParametersAndMetrics()
    {
        var page = await fixture.SignInAsync(fixture.ViewerKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "wider-cnn" }).ClickAsync();
        Assert.Equal("Run wider-cnn", await page.Locator("h1").TextContentAsync());
        Assert.Equal(2, await page.Locator("figure svg polyline").CountAsync() - await page.Locator("#curve-other ~ svg polyline").CountAsync());
        var description = await page.Locator("figure svg desc").First.TextContentAsync();
        Assert.Contains("train_loss: epoch 1 1, epoch 2 0.5, epoch 3 0.333", description, StringComparison.Ordinal);
        var main = await page.Locator("main").TextContentAsync();
        Assert.Contains("test_accuracy", main, StringComparison.Ordinal);
        Assert.Contains("0.0005", main, StringComparison.Ordinal); // lr
        foreach (var plot in new[] { "Confusion matrix of the test set", "ROC curves of the test set, one class against the rest" })
        {
            var image = page.GetByRole(AriaRole.Img, new() { Name = plot });
            await image.ScrollIntoViewIfNeededAsync();
            Assert.True(await image.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 100"), plot);
        }

        await ShotAsync(page, "run");
        await page.GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "baseline-cnn" }).ClickAsync();
        // drawn from the evaluation document in the registry, so it works without the run's folder
        var matrix = await page.Locator("#confusion ~ svg desc").TextContentAsync();
        Assert.StartsWith("true T-shirt/top: T-shirt/top ", matrix, StringComparison.Ordinal);
        Assert.Equal(100, await page.Locator("#confusion ~ svg rect").CountAsync());
        Assert.Equal(10, await page.Locator("#roc ~ svg polyline").CountAsync());
        Assert.Contains("(AUC 0.", await page.Locator("#roc ~ svg desc").TextContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "evaluation");
        await page.GetByRole(AriaRole.Link, new() { Name = "Runs" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "tiny-mlp" }).ClickAsync();
        Assert.Contains("This server has no confusion matrix or ROC plot", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TickingRunsComparesThemSideBySide()
    {
        var page = await fixture.SignInAsync(fixture.ViewerKey);
        await page.GetByLabel($"Compare baseline-cnn ({fixture.AcmeRuns[0].Id})").CheckAsync();
        await page.GetByLabel($"Compare wider-cnn ({fixture.AcmeRuns[1].Id})").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare ticked runs" }).ClickAsync();
        Assert.Equal("Compare runs", await page.Locator("h1").TextContentAsync());
        Assert.Equal(3, await page.Locator("thead th").CountAsync()); // the name column and two runs
        var lr = await page.Locator("tbody tr", new() { Has = page.Locator("th", new() { HasTextString = "lr" }) }).TextContentAsync();
        Assert.Contains("lr ≠", lr, StringComparison.Ordinal);
        Assert.Contains("0.001", lr, StringComparison.Ordinal);
        Assert.Contains("0.0005", lr, StringComparison.Ordinal);
        var epochs = await page.Locator("tbody tr", new() { Has = page.Locator("th", new() { HasTextString = "epochs" }) }).TextContentAsync();
        Assert.DoesNotContain("≠", epochs, StringComparison.Ordinal);
        await ShotAsync(page, "compare");

        await page.GotoAsync($"/ui/runs/compare?id={fixture.AcmeRuns[0].Id}");
        Assert.Contains("Tick between 2 and 8 runs", await page.Locator("[role=alert]").TextContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelPagesShowVersionsAliasesMetricsAndLineage()
    {
        var page = await fixture.SignInAsync(fixture.ViewerKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Models" }).ClickAsync();
        Assert.Contains("champion → v", await page.Locator("tbody").TextContentAsync(), StringComparison.Ordinal);
        await page.GetByRole(AriaRole.Link, new() { Name = "fashion", Exact = true }).ClickAsync();
        Assert.Equal("Model fashion", await page.Locator("h1").TextContentAsync());
        Assert.Equal(2, await page.Locator("tbody tr").CountAsync());
        var body = await page.Locator("tbody").TextContentAsync();
        Assert.Contains("test_accuracy 0.51", body, StringComparison.Ordinal);
        Assert.Contains("run baseline-cnn", body, StringComparison.Ordinal);
        Assert.Contains("gate: challenger_test_accuracy 0.86, champion_test_accuracy 0.81, mcnemar_p 0.003, promotable 1", body, StringComparison.Ordinal);
        Assert.Equal(["v2", "v1"], await page.Locator("tbody th[scope=row]").AllTextContentsAsync());
        var trust = await page.Locator("tbody tr").Nth(1).Locator("details.trust").TextContentAsync();
        Assert.Contains("verified: 2 of 6 measured", trust, StringComparison.Ordinal);
        Assert.Contains("robust_accuracy 0.41", trust, StringComparison.Ordinal);
        Assert.Contains("not measured: no cv run of this dataset", trust, StringComparison.Ordinal);
        Assert.Contains("Refusing the trust report: it changed on disk", await page.Locator("tbody tr").Nth(0).TextContentAsync(), StringComparison.Ordinal); // v2's was changed
        await page.Locator("tbody tr").Nth(1).Locator("details.trust summary").ClickAsync();
        await ShotAsync(page, "model");
    }

    [Fact]
    public async Task UsagePageChartsTheDaysAndShowsTheInvoiceAndLimits()
    {
        var page = await fixture.SignInAsync(fixture.ViewerKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Usage" }).ClickAsync();
        Assert.Equal(30, await page.Locator("#chart-predictions ~ svg rect").CountAsync());
        Assert.Contains("3", await page.Locator("#chart-predictions ~ svg desc").TextContentAsync(), StringComparison.Ordinal);
        var invoice = await page.Locator("table").First.TextContentAsync();
        Assert.Contains("enterprise", invoice, StringComparison.Ordinal);
        Assert.Contains("fashion", invoice, StringComparison.Ordinal);
        Assert.Contains("Predictions this month", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);
        await ShotAsync(page, "usage");
    }

    [Fact]
    public async Task FeedbackPageCountsItemsAndDrawsTheLabelDistribution()
    {
        var page = await fixture.SignInAsync(fixture.ViewerKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "Feedback" }).ClickAsync();
        var main = await page.Locator("main").TextContentAsync();
        Assert.Contains("3 feedback items in all", main, StringComparison.Ordinal);
        Assert.Equal("Sneaker: 2, Dress: 1", await page.Locator("#chart-labels ~ svg desc").TextContentAsync());
        Assert.Equal(3, await page.Locator("main > table tbody tr").CountAsync());
        await ShotAsync(page, "feedback");
    }

    [Fact]
    public async Task AKeyScopedToAModelSeesOnlyThatModelsPagesFeedbackAndInvoice()
    {
        var page = await fixture.SignInAsync(fixture.DigitsViewerKey);
        await page.GotoAsync("/ui/models");
        Assert.Equal(["digits"], await page.Locator("tbody td:first-child").AllTextContentsAsync());
        var (status, body) = await Probes.GetAsync(page, "/ui/models/fashion");
        Assert.Equal(404, status);
        Assert.DoesNotContain("champion", body, StringComparison.Ordinal);
        await page.GotoAsync("/ui/feedback");
        Assert.Contains("0 feedback items in all", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);
        await page.GotoAsync("/ui/usage");
        Assert.DoesNotContain("fashion", await page.Locator("main").TextContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeysPageListsTheOrganizationsKeys()
    {
        var page = await fixture.SignInAsync(fixture.OwnerKey);
        await page.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        var body = await page.Locator("tbody").TextContentAsync();
        Assert.Contains("acme-owner", body, StringComparison.Ordinal);
        Assert.Contains("(this session)", body, StringComparison.Ordinal);
        await ShotAsync(page, "keys");
    }

    [Fact]
    public async Task EveryFormFieldHasALabelAndTheNavigationIsReachableByKeyboard()
    {
        var page = await fixture.SignInAsync(fixture.OwnerKey);
        foreach (var path in new[] { "/ui/runs", "/ui/keys", "/ui/models/fashion" })
        {
            await page.GotoAsync(path);
            var unlabelled = await page.EvaluateAsync<int>(
                "() => [...document.querySelectorAll('input:not([type=hidden]), select')].filter(e => !e.labels?.length && !e.getAttribute('aria-label')).length");
            Assert.Equal(0, unlabelled);
        }

        await page.Keyboard.PressAsync("Tab"); // the skip link first, then the navigation
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Runs", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("Runs", await page.Locator("h1").TextContentAsync());
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        if (string.IsNullOrEmpty(ScreenshotFolder))
            return;
        Directory.CreateDirectory(ScreenshotFolder);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotFolder, $"{name}.png"), FullPage = true });
    }
}
