using Anvil.Dashboard.Shared;
using Microsoft.Playwright;

namespace Anvil.Dashboard.Tests.Support;

/// <summary>Requests a browser context sends outside its forms (sharing its cookies): forms without their token, tampered targets.</summary>
public static class Probes
{
    /// <summary>The anti-forgery token of the first form on <paramref name="page"/>.</summary>
    public static async Task<string> TokenAsync(IPage page) =>
        (await page.Locator($"input[name={Forms.TokenField}]").First.GetAttributeAsync("value"))!;

    /// <summary>Posts <paramref name="fields"/> to <paramref name="path"/> with the page's cookies, with or without its form token.</summary>
    public static async Task<(int Status, string Body)> PostAsync(IPage page, string path, bool withToken, params (string Name, string Value)[] fields)
    {
        var form = page.APIRequest.CreateFormData();
        if (withToken)
            form.Set(Forms.TokenField, await TokenAsync(page));
        foreach (var (name, value) in fields)
            form.Set(name, value);
        var response = await page.APIRequest.PostAsync(path, new() { Form = form, MaxRedirects = 0 });
        return (response.Status, await response.TextAsync());
    }

    public static async Task<(int Status, string Body)> GetAsync(IPage page, string path)
    {
        var response = await page.APIRequest.GetAsync(path, new() { MaxRedirects = 0 });
        return (response.Status, await response.TextAsync());
    }
}
