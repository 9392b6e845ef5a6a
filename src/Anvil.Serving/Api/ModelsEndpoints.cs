using Anvil.Registry;
using Anvil.Registry.Versions;
using Anvil.Serving.Inference;
using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>GET /v1/models and GET /v1/models/{name}: only the caller's organization's models.</summary>
public static class ModelsEndpoints
{
    public static IResult List(HttpContext context, ModelCatalog catalog, ModelRouter router)
    {
        var caller = Caller.From(context);
        var models = catalog.List(caller.OrganizationId)
            .Where(model => caller.Key.MayUse(model.Name))
            .Select(model => Summarize(router, model))
            .OfType<ModelSummary>()
            .ToList();
        return Results.Json(models, ApiJson.Options);
    }

    public static IResult Get(string name, HttpContext context, ModelCatalog catalog, ModelRouter router)
    {
        var caller = Caller.From(context);
        var model = caller.Key.MayUse(name) ? catalog.Find(caller.OrganizationId, name) : null;
        var summary = model is null ? null : Summarize(router, model);
        if (model is null || summary is null)
            return Problems.Of(404, $"Your organization has no model '{name}'. GET /v1/models lists what you can use.");
        try
        {
            var versions = catalog.Versions(caller.OrganizationId, name)
                .Select(v => new VersionSummary(v.Version, v.ManifestDigest, v.RunId, v.CreatedAt, router.Manifest(v).Metrics))
                .ToList();
            return Results.Json(new ModelDetail(summary, versions), ApiJson.Options);
        }
        catch (RegistryException)
        {
            return Problems.Of(503, $"A version of model '{name}' failed signature or digest verification. The operator must register it again.");
        }
    }

    private static ModelSummary? Summarize(ModelRouter router, RegisteredModel model)
    {
        var served = model.Aliases.TryGetValue(ModelRouter.DefaultAlias, out var champion) ? champion : model.LatestVersion;
        var version = router.Version(model.OrganizationId, model.Name, served);
        if (version is null)
            return null;
        ModelManifest manifest;
        try
        {
            manifest = router.Manifest(version);
        }
        catch (RegistryException)
        {
            return null; // a version that fails verification is not offered (the router logged why)
        }

        return new ModelSummary(model.Name, model.LatestVersion, model.Aliases, served, manifest.Architecture,
            manifest.InputKind ?? manifest.Preprocessing.Kind, manifest.OutputKind ?? ModelManifest.Probabilities, manifest.Signature, manifest.Preprocessing, model.CreatedAt);
    }
}
