using Anvil.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Anvil.Dashboard.Tests;

/// <summary>
/// acme's owner probes globex's objects on every page and form: each is 404 with nothing of globex in the answer,
/// and nothing of globex changes, including through a form whose hidden field or target was tampered with.
/// </summary>
[Collection("dashboard")]
public sealed class TenancyTests(DashboardFixture fixture)
{
    private static void AssertNothingLeaked(string body)
    {
        Assert.DoesNotContain("globex", body, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The page without its form token, which differs on every answer.</summary>
    private static string WithoutToken(string body) => System.Text.RegularExpressions.Regex.Replace(body, "value=\"[^\"]*\"", "");

    [Fact]
    public async Task ListsShowNothingOfAnotherOrganization()
    {
        var page = await fixture.SignInAsync(fixture.OwnerKey);
        foreach (var path in new[] { "/ui/runs", "/ui/runs?name=secret", "/ui/models", "/ui/usage", "/ui/keys", "/ui/feedback" })
        {
            var (status, body) = await Probes.GetAsync(page, path);
            Assert.Equal(200, status);
            AssertNothingLeaked(body);
            Assert.DoesNotContain(fixture.GlobexRun.Id, body, StringComparison.Ordinal);
            Assert.DoesNotContain(fixture.GlobexKeyId, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnotherOrganizationsObjectsByIdAreNotFound()
    {
        var page = await fixture.SignInAsync(fixture.OwnerKey);
        foreach (var path in new[]
        {
            $"/ui/runs/{fixture.GlobexRun.Id}",
            $"/ui/runs/{fixture.GlobexRun.Id}/plots/roc.png",
            $"/ui/runs/{fixture.AcmeRuns[1].Id}/plots/..%2F..%2Fregistry.db.png",
            $"/ui/runs/compare?id={fixture.AcmeRuns[0].Id}&id={fixture.GlobexRun.Id}",
            "/ui/models/globex-rival",
        })
        {
            var (status, body) = await Probes.GetAsync(page, path);
            Assert.Equal(404, status);
            Assert.DoesNotContain("globex-secret-run", body, StringComparison.Ordinal);
            Assert.DoesNotContain("champion", body, StringComparison.Ordinal);
        }

        // a run id that exists nowhere answers exactly like another organization's
        var (_, missing) = await Probes.GetAsync(page, "/ui/runs/0123456789abcdef0123456789abcdef");
        var (_, foreign) = await Probes.GetAsync(page, $"/ui/runs/{fixture.GlobexRun.Id}");
        Assert.Equal(WithoutToken(missing).Replace("0123456789abcdef0123456789abcdef", "ID", StringComparison.Ordinal), WithoutToken(foreign).Replace(fixture.GlobexRun.Id, "ID", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FormsNamingAnotherOrganizationsObjectsAreNotFoundAndChangeNothing()
    {
        var page = await fixture.SignInAsync(fixture.OwnerKey);
        await page.GotoAsync("/ui/keys");
        var globexChampion = fixture.Host.Catalog.Resolve(fixture.Host.Globex.Id, "globex-rival", "champion")!.Version;
        foreach (var (path, fields) in new (string, (string, string)[])[]
        {
            ("/ui/models/globex-rival/promote", [("version", "2")]),
            ("/ui/models/globex-rival/rollback", []),
            ($"/ui/keys/{fixture.GlobexKeyId}/revoke", []),
        })
        {
            var (status, body) = await Probes.PostAsync(page, path, withToken: true, fields);
            Assert.Equal(404, status);
            Assert.Contains("Your organization has no", body, StringComparison.Ordinal);
        }

        Assert.Equal(globexChampion, fixture.Host.Catalog.Resolve(fixture.Host.Globex.Id, "globex-rival", "champion")!.Version);
        Assert.True(fixture.Host.Keys.Authenticate(fixture.GlobexKey).IsValid);
    }

    [Fact]
    public async Task TamperedFormsInTheBrowserAreRefusedAndChangeNothing()
    {
        var page = await fixture.SignInAsync(fixture.OwnerKey);
        await page.GotoAsync("/ui/keys");
        // Point acme's first revoke form at globex's key, as a tampering user could, and submit it.
        await page.EvaluateAsync("id => document.querySelector('form[action$=\"/revoke\"]').action = `/ui/keys/${id}/revoke`", fixture.GlobexKeyId);
        var response = await page.RunAndWaitForResponseAsync(() => page.Locator("form[action$='/revoke'] button").First.ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(404, response!.Status);
        Assert.True(fixture.Host.Keys.Authenticate(fixture.GlobexKey).IsValid);

        await page.GotoAsync("/ui/models/fashion");
        var champion = fixture.Host.Catalog.Resolve(fixture.Host.Acme.Id, "fashion", "champion")!.Version;
        await page.EvaluateAsync("() => document.querySelector('input[name=version]').value = '99'");
        response = await page.RunAndWaitForResponseAsync(() => page.Locator("form[action$='/promote'] button").ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(404, response!.Status);
        Assert.Contains("has no version 99", await page.Locator("[role=alert]").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(champion, fixture.Host.Catalog.Resolve(fixture.Host.Acme.Id, "fashion", "champion")!.Version);

        await page.GotoAsync("/ui/keys");
        var keys = fixture.Host.Keys.List("acme").Count;
        await page.GetByLabel("Name").FillAsync("nul\u0000name");
        response = await page.RunAndWaitForResponseAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, response.Status);
        Assert.Contains("could not be read, so nothing was changed", await page.Locator("[role=alert]").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(keys, fixture.Host.Keys.List("acme").Count);
        var filtered = await page.GotoAsync("/ui/runs?name=a%00b");
        Assert.Equal(400, filtered!.Status);

        await page.GotoAsync("/ui/models/fashion");
        await page.EvaluateAsync("() => document.querySelector('input[name=version]').value = 'v1; DROP TABLE runs'");
        response = await page.RunAndWaitForResponseAsync(() => page.Locator("form[action$='/promote'] button").ClickAsync(), r => r.Request.Method == "POST");
        Assert.Equal(400, response!.Status);
        Assert.Equal(champion, fixture.Host.Catalog.Resolve(fixture.Host.Acme.Id, "fashion", "champion")!.Version);
    }
}
