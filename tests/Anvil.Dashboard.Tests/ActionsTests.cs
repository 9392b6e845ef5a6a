using Anvil.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Anvil.Dashboard.Tests;

/// <summary>What an owner may do (promote, roll back, create and revoke keys) and a viewer may not.</summary>
[Collection("dashboard")]
public sealed class ActionsTests(DashboardFixture fixture)
{
    private int Champion(string organizationId = "", string model = "fashion") =>
        fixture.Host.Catalog.Resolve(organizationId.Length > 0 ? organizationId : fixture.Host.Acme.Id, model, "champion")!.Version;

    [Fact]
    public async Task AnOwnerPromotesAVersionAndRollsBack()
    {
        var page = await fixture.SignInAsync(fixture.OwnerKey);
        await page.GotoAsync("/ui/models/fashion");
        var champion = Champion();
        var other = champion == 1 ? 2 : 1;
        await page.GetByRole(AriaRole.Button, new() { Name = $"Promote version {other} to champion" }).ClickAsync();
        Assert.Contains($"Version {other} is now the champion; version {champion} is kept as previous.", await page.Locator("[role=status]").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(other, Champion());
        Assert.Equal(champion, fixture.Host.Catalog.Resolve(fixture.Host.Acme.Id, "fashion", "previous")!.Version);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Roll back: v{champion} becomes champion again" }).ClickAsync();
        Assert.Contains($"version {champion} is the champion again", await page.Locator("[role=status]").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(champion, Champion());
        await page.GotoAsync("/ui/models/fashion");
        Assert.Equal(1, await page.GetByRole(AriaRole.Button, new() { Name = "Promote version", Exact = false }).CountAsync());
    }

    [Fact]
    public async Task AnOwnerCreatesAKeyWhoseSecretIsShownOnceAndRevokesIt()
    {
        var page = await fixture.SignInAsync(fixture.OwnerKey);
        await page.GotoAsync("/ui/keys");
        await page.GetByLabel("Name").FillAsync("ci-reader");
        await page.GetByLabel("Role").SelectOptionAsync("viewer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        var secret = (await page.Locator("#new-secret").TextContentAsync())!.Trim();
        var created = fixture.Host.Keys.Authenticate(secret);
        Assert.True(created.IsValid);
        Assert.Equal(Role.Viewer, created.Key!.Role);
        Assert.Equal(fixture.Host.Acme.Id, created.Key.OrganizationId);

        await page.GotoAsync("/ui/keys");
        Assert.Equal(0, await page.Locator("#new-secret").CountAsync()); // shown once, never again
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Revoke key {created.Key.Id}" }).ClickAsync();
        Assert.Contains($"Key {created.Key.Id} is revoked", await page.Locator("[role=status]").TextContentAsync(), StringComparison.Ordinal);
        Assert.Equal(AuthenticationStatus.Revoked, fixture.Host.Keys.Authenticate(secret).Status);
    }

    [Fact]
    public async Task AViewerSeesButCannotAct()
    {
        var page = await fixture.SignInAsync(fixture.ViewerKey);
        await page.GotoAsync("/ui/models/fashion");
        Assert.Equal(0, await page.Locator("main form").CountAsync());
        await page.GotoAsync("/ui/keys");
        Assert.Equal(0, await page.Locator("main form").CountAsync());
        Assert.Contains("acme-owner", await page.Locator("tbody").TextContentAsync(), StringComparison.Ordinal);

        var champion = Champion();
        var keys = fixture.Host.Keys.List("acme").Count;
        var ownerId = fixture.OwnerKey.Split('_')[1];
        foreach (var (path, fields) in new (string, (string, string)[])[]
        {
            ("/ui/models/fashion/promote", [("version", champion == 1 ? "2" : "1")]),
            ("/ui/models/fashion/rollback", []),
            ("/ui/keys", [("name", "escalate"), ("role", "owner")]),
            ($"/ui/keys/{ownerId}/revoke", []),
        })
        {
            var (status, body) = await Probes.PostAsync(page, path, withToken: true, fields);
            Assert.Equal(403, status);
            Assert.Contains("Only an owner may", body, StringComparison.Ordinal);
        }

        Assert.Equal(champion, Champion());
        Assert.Equal(keys, fixture.Host.Keys.List("acme").Count);
        Assert.True(fixture.Host.Keys.Authenticate(fixture.OwnerKey).IsValid);
    }
}
