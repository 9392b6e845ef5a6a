using Anvil.Dashboard.Feedback;
using Anvil.Dashboard.Keys;
using Anvil.Dashboard.Models;
using Anvil.Dashboard.Runs;
using Anvil.Dashboard.Shared;
using Anvil.Dashboard.SignIn;
using Anvil.Dashboard.Usage;
using Anvil.Registry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Anvil.Dashboard;

/// <summary>
/// The web dashboard under <c>/ui</c>, hosted by the prediction server's process: minimal API endpoints load
/// the session's organization's data and render Razor components on the server (no interactivity, no script).
/// Reads go through the registry's own classes, never around them.
/// </summary>
public static class DashboardApp
{
    public const string Root = "/ui";

    /// <summary>Registers what the pages need; <paramref name="home"/> is where run artifacts live (resolved as the CLI does when null).</summary>
    public static IServiceCollection AddDashboard(this IServiceCollection services, RegistryDatabase database, TimeProvider time, AnvilHome? home)
    {
        services.AddRazorComponents();
        services.AddAntiforgery(options =>
        {
            options.FormFieldName = Forms.TokenField;
            options.Cookie.Name = "anvil_antiforgery";
            options.Cookie.Path = Root;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.HttpOnly = true;
        });
        services.AddSingleton(new WebSessions(database, time));
        services.AddSingleton(new ChampionMoves(database, time));
        services.AddSingleton(new Plans(database));
        // Lazily: the prediction API's own tests never open a run page, and the home resolves as ./anvil does.
        services.AddSingleton<IRunStore>(_ => new RunStore(database, home ?? AnvilHome.Resolve(), time));
        return services;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        var ui = app.MapGroup(Root).ExcludeFromDescription();
        ui.MapGet("/dashboard.css", Styles.Handle);
        SignInApi.Map(ui);
        var signedIn = ui.MapGroup("").AddEndpointFilter<SignedInFilter>().AddEndpointFilter<RefusalFilter>();
        signedIn.MapGet("/", () => Results.Redirect($"{Root}/runs"));
        RunsApi.Map(signedIn);
        ModelsApi.Map(signedIn);
        UsageApi.Map(signedIn);
        KeysApi.Map(signedIn);
        FeedbackApi.Map(signedIn);
        return app;
    }
}
