using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Dashboard.Shared;

/// <summary>
/// Every form posts its anti-forgery token; an endpoint that changes anything calls <see cref="IsValidAsync"/>
/// first and, when it fails, changes nothing and says so.
/// </summary>
internal static class Forms
{
    public const string TokenField = "__anvil_form";

    public static async Task<bool> IsValidAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
            return false;
        try
        {
            return await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            return false; // the form itself could not be read (e.g. a NUL character in a field)
        }
    }

    /// <summary>The token to put in a form's hidden field (and its cookie, set on the response).</summary>
    public static string Token(HttpContext context) =>
        context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context).RequestToken!;

    public static IResult Refused(HttpContext context) => Pages.Message(context, 400, "Form refused",
        "The form arrived without a valid anti-forgery token, or could not be read, so nothing was changed. Reload the page and submit the form again.");
}
