using Anvil.Dashboard.Shared;
using Anvil.Dashboard.SignIn;
using Anvil.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Anvil.Dashboard.Keys;

/// <summary>
/// /ui/keys: the organization's API keys; owners create one (its secret shown once, on the answer to the form)
/// and revoke one. A key id of another organization is not found, whatever the form says.
/// </summary>
internal static class KeysApi
{
    public static void Map(RouteGroupBuilder ui)
    {
        ui.MapGet("/keys", (HttpContext context, ApiKeys keys, Plans plans) => Page(context, keys, plans, created: null, notice: null));
        ui.MapPost("/keys", CreateAsync);
        ui.MapPost("/keys/{id}/revoke", RevokeAsync);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ApiKeys keys, Plans plans)
    {
        if (await Refusal(context, "create API keys") is { } refused)
            return refused;
        var session = SignedIn.Get(context);
        var form = context.Request.Form;
        var name = form["name"].ToString().Trim();
        var roleText = form["role"].ToString();
        if (name.Length is 0 or > 200)
            return Pages.Message(context, 400, "Key not created", "Give the key a name of 1 to 200 characters; nothing was created.");
        if (Enum.GetValues<Role>().Where(r => RoleNames.ToText(r) == roleText).Cast<Role?>().FirstOrDefault() is not { } role)
            return Pages.Message(context, 400, "Key not created", $"'{roleText}' is not a role; choose viewer, developer or owner. Nothing was created.");
        // A new key gets the plan of the key that signed in: the dashboard never changes what the organization pays.
        var plan = keys.Find(session.OrganizationId, session.KeyId)?.Plan.Name
            ?? throw new InvalidOperationException("The signed-in key vanished.");
        var created = keys.Create(session.OrganizationName, plan, role, name: name);
        return Page(context, keys, plans, created, notice: null);
    }

    private static async Task<IResult> RevokeAsync(HttpContext context, string id, ApiKeys keys, Plans plans, WebSessions sessions)
    {
        if (await Refusal(context, "revoke API keys") is { } refused)
            return refused;
        var session = SignedIn.Get(context);
        if (keys.Find(session.OrganizationId, id) is null)
            return Pages.NotFound(context, $"API key '{id}'");
        keys.Revoke(id);
        if (id == session.KeyId)
        {
            // Revoking the key this session runs on ends the session too; say so on the sign-in form.
            SessionCookie.Clear(context);
            return Results.Redirect($"{DashboardApp.Root}/signin?expired=1");
        }

        return Page(context, keys, plans, created: null, notice: $"Key {id} is revoked; requests and dashboard sessions with it now fail.");
    }

    private static async Task<IResult?> Refusal(HttpContext context, string action)
    {
        if (!await Forms.IsValidAsync(context).ConfigureAwait(false))
            return Forms.Refused(context);
        return SignedIn.Get(context).Role == Role.Owner ? null : Pages.Forbidden(context, action);
    }

    private static RazorComponentResult Page(HttpContext context, ApiKeys keys, Plans plans, CreatedApiKey? created, string? notice) =>
        Pages.Render<KeysPage>(context, new()
        {
            ["Keys"] = keys.List(SignedIn.Get(context).OrganizationName),
            ["Created"] = created,
            ["Notice"] = notice,
        });
}
