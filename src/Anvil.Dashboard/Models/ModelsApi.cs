using System.Globalization;
using Anvil.Dashboard.Shared;
using Anvil.Dashboard.SignIn;
using Anvil.Registry;
using Anvil.Registry.Versions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Anvil.Dashboard.Models;

/// <summary>
/// /ui/models: the organization's models, one model's versions with metrics and lineage, and for owners the
/// champion moves <c>./anvil models promote</c> and <c>rollback</c> make (<see cref="ChampionMoves"/>).
/// </summary>
internal static class ModelsApi
{
    public static void Map(RouteGroupBuilder ui)
    {
        ui.MapGet("/models", (HttpContext context, ModelCatalog catalog) =>
        {
            var session = SignedIn.Get(context);
            return Pages.Render<ModelsPage>(context, new() { ["Models"] = catalog.List(session.OrganizationId).Where(m => session.MayUse(m.Name)).ToList() });
        });
        ui.MapGet("/models/{name}", Show);
        ui.MapPost("/models/{name}/promote", PromoteAsync);
        ui.MapPost("/models/{name}/rollback", RollbackAsync);
    }

    private static RazorComponentResult Show(HttpContext context, string name, ModelCatalog catalog, IRunStore runs) =>
        Page(context, name, catalog, runs, notice: null);

    private static async Task<IResult> PromoteAsync(HttpContext context, string name, ModelCatalog catalog, ChampionMoves moves, IRunStore runs)
    {
        if (await Refusal(context, name, catalog, "promote a version") is { } refused)
            return refused;
        var field = context.Request.Form["version"].ToString();
        if (!int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var version) || version < 1)
            return Pages.Message(context, 400, "Promote", $"The version '{field}' is not a version number; nothing was changed.");
        var session = SignedIn.Get(context);
        if (catalog.FindVersion(session.OrganizationId, name, version) is null)
            return Pages.NotFound(context, $"version {version} of model '{name}'");
        return Act(context, name, catalog, runs, () =>
        {
            var replaced = moves.Promote(session.OrganizationId, name, version);
            return $"Version {version} is now the champion; version {replaced} is kept as previous.";
        });
    }

    private static async Task<IResult> RollbackAsync(HttpContext context, string name, ModelCatalog catalog, ChampionMoves moves, IRunStore runs)
    {
        if (await Refusal(context, name, catalog, "roll back a model") is { } refused)
            return refused;
        return Act(context, name, catalog, runs, () =>
        {
            var (champion, previous) = moves.Rollback(SignedIn.Get(context).OrganizationId, name);
            return $"Rolled back: version {champion} is the champion again; version {previous} is previous.";
        });
    }

    /// <summary>Why a move may not happen, checked before anything changes: the form token, the model's organization, the role.</summary>
    private static async Task<IResult?> Refusal(HttpContext context, string name, ModelCatalog catalog, string action)
    {
        if (!await Forms.IsValidAsync(context).ConfigureAwait(false))
            return Forms.Refused(context);
        if (!SignedIn.Get(context).MayUse(name) || catalog.Find(SignedIn.Get(context).OrganizationId, name) is null)
            return Pages.NotFound(context, $"model '{name}'");
        return SignedIn.Get(context).Role == Role.Owner ? null : Pages.Forbidden(context, action);
    }

    private static RazorComponentResult Act(HttpContext context, string name, ModelCatalog catalog, IRunStore runs, Func<string> move)
    {
        try
        {
            return Page(context, name, catalog, runs, move());
        }
        catch (RegistryException e)
        {
            return Pages.Message(context, 409, "Not moved", e.Message);
        }
    }

    private static RazorComponentResult Page(HttpContext context, string name, ModelCatalog catalog, IRunStore runs, string? notice)
    {
        var organization = SignedIn.Get(context).OrganizationId;
        if (!SignedIn.Get(context).MayUse(name) || catalog.Find(organization, name) is not { } model)
            return Pages.NotFound(context, $"model '{name}'");
        var versions = catalog.Versions(organization, name);
        var versionRuns = runs.FindRuns([.. versions.Select(v => v.RunId).OfType<string>().Distinct()], organization).ToDictionary(run => run.Id);
        var verifier = context.RequestServices.GetService(typeof(ManifestSigner)) as ManifestSigner;
        var views = versions.OrderByDescending(v => v.Version).Select(version =>
        {
            var aliases = model.Aliases.Where(a => a.Value == version.Version).Select(a => a.Key).Order(StringComparer.Ordinal).ToList();
            var run = version.RunId is { } id ? versionRuns.GetValueOrDefault(id) : null;
            try
            {
                return WithTrust(new VersionView(version, aliases, ModelVersionFiles.ReadManifest(version), null, run), verifier);
            }
            catch (Exception e) when (e is RegistryException or IOException or UnauthorizedAccessException)
            {
                return new VersionView(version, aliases, null, e.Message, run);
            }
        }).ToList();
        return Pages.Render<ModelPage>(context, new() { ["Model"] = model, ["Versions"] = views, ["Notice"] = notice });
    }

    // The trust report is shown only once its signature and the manifest it names are checked, as ./anvil models trust does.
    private static VersionView WithTrust(VersionView view, ManifestSigner? verifier)
    {
        if (verifier is null)
            return view with { TrustError = "This server holds no verification key, so the trust report is not shown." };
        try
        {
            return view with { Trust = TrustFiles.Read(view.Version.Directory, view.Version.ManifestDigest, verifier) };
        }
        catch (Exception e) when (e is RegistryException or IOException or UnauthorizedAccessException) // its message names server paths
        {
            return view with { TrustError = $"Refusing the trust report: it changed on disk since it was signed, or belongs to another version or key. An owner writes it again with ./anvil models trust {view.Version.ModelName} --org ORG --version {view.Version.Version} --refresh." };
        }
    }
}
