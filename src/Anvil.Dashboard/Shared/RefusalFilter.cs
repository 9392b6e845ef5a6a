using Anvil.Registry;
using Microsoft.AspNetCore.Http;

namespace Anvil.Dashboard.Shared;

/// <summary>
/// What the registry refuses (a <see cref="RegistryException"/>: e.g. a NUL character in a form field, which no
/// table stores) becomes a 400 page with its one-line message, instead of the API's JSON 500.
/// </summary>
internal sealed class RefusalFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        try
        {
            return await next(invocation).ConfigureAwait(false);
        }
        catch (RegistryException e)
        {
            return Pages.Message(invocation.HttpContext, 400, "Refused", $"{e.Message} Nothing was changed.");
        }
    }
}
