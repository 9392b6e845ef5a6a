using System.Text.RegularExpressions;
using Anvil.Dashboard.Tests.Support;
using Microsoft.Playwright;

namespace Anvil.Dashboard.Tests;

/// <summary>Signing in with an API key, signing out, and every way a session ends or is refused.</summary>
[Collection("dashboard")]
public sealed class SignInTests(DashboardFixture fixture)
{
    [Fact]
    public async Task SignInOpensAStrictHttpOnlySessionAndSignOutEndsItOnTheServer()
    {
        var page = await fixture.SignInAsync(fixture.OwnerKey);
        Assert.Equal("Runs", await page.Locator("h1").TextContentAsync());
        var response = await page.GotoAsync("/ui/runs");
        Assert.Contains("default-src 'none'", await response!.HeaderValueAsync("content-security-policy"), StringComparison.Ordinal);
        Assert.Contains("no-store", await response.HeaderValueAsync("cache-control"), StringComparison.Ordinal);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "anvil_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/ui", cookie.Path);
        Assert.DoesNotContain(fixture.OwnerKey, cookie.Value, StringComparison.Ordinal); // the key never reaches the browser's storage

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        Assert.Equal("Sign in", await page.Locator("h1").TextContentAsync());
        // The old cookie put back by hand opens nothing: the session was deleted in the database.
        await page.Context.AddCookiesAsync([new() { Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path }]);
        await page.GotoAsync("/ui/runs");
        Assert.Matches(new Regex("/ui/signin"), page.Url);
    }

    [Theory]
    [InlineData("not-a-key", "That is not an API key")]
    [InlineData("anvil_abcdefghijkl_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "That API key is not valid")]
    public async Task AWrongKeyIsRefusedWithAMessageAndNoCookie(string key, string message)
    {
        var page = await fixture.SignInAsync(key);
        Assert.Contains(message, await page.Locator("[role=alert]").TextContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "anvil_session");
    }

    [Fact]
    public async Task AForgedCookieGoesBackToSignIn()
    {
        var page = await fixture.NewPageAsync();
        await page.Context.AddCookiesAsync([new() { Name = "anvil_session", Value = "Zm9yZ2VkLWZvcmdlZC1mb3JnZWQtZm9yZ2VkLWZvcmc", Url = fixture.Host.BaseAddress + "/ui" }]);
        var (status, body) = await Probes.GetAsync(page, "/ui/keys");
        Assert.Equal(302, status);
        Assert.DoesNotContain("acme", body, StringComparison.Ordinal);
        await page.GotoAsync("/ui/keys");
        Assert.EndsWith("/ui/signin?expired=1", page.Url, StringComparison.Ordinal);
        Assert.Contains("Your session has ended", await page.Locator("[role=alert]").TextContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredSessionGoesBackToSignIn()
    {
        var page = await fixture.SignInAsync(fixture.ViewerKey);
        Assert.Equal("Runs", await page.Locator("h1").TextContentAsync());
        fixture.Host.Time.Advance(TimeSpan.FromHours(8) + TimeSpan.FromSeconds(1));
        await page.GotoAsync("/ui/models");
        Assert.EndsWith("/ui/signin?expired=1", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARevokedKeysSessionStopsWorking()
    {
        var key = fixture.Host.CreateKey(fixture.Host.Acme, Role.Viewer, "short-lived");
        var page = await fixture.SignInAsync(key);
        await page.GotoAsync("/ui/usage");
        Assert.Equal("Usage", await page.Locator("h1").TextContentAsync());
        fixture.Host.Keys.Revoke(key);
        await page.GotoAsync("/ui/usage");
        Assert.EndsWith("/ui/signin?expired=1", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFormWithoutItsAntiforgeryTokenIsRefusedAndChangesNothing()
    {
        var page = await fixture.SignInAsync(fixture.OwnerKey);
        await page.GotoAsync("/ui/keys");
        var before = fixture.Host.Keys.List("acme").Count;
        var (status, body) = await Probes.PostAsync(page, "/ui/keys", withToken: false, ("name", "sneaky"), ("role", "owner"));
        Assert.Equal(400, status);
        Assert.Contains("without a valid anti-forgery token, or could not be read, so nothing was changed", body, StringComparison.Ordinal);
        Assert.Equal(before, fixture.Host.Keys.List("acme").Count);

        (status, _) = await Probes.PostAsync(page, "/ui/models/fashion/rollback", withToken: false);
        Assert.Equal(400, status);
        (status, _) = await Probes.PostAsync(page, "/ui/signin", withToken: false, ("key", fixture.OwnerKey));
        Assert.Equal(400, status);
        // the same form with its token is accepted: the refusal was the token's
        (status, _) = await Probes.PostAsync(page, "/ui/keys", withToken: true, ("name", "with-token"), ("role", "viewer"));
        Assert.Equal(200, status);
        Assert.Equal(before + 1, fixture.Host.Keys.List("acme").Count);
    }
}
