using System.Globalization;
using Anvil.Serving.Inputs;
using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>The request id (Idempotency-Key) and the version selector (?alias= or ?version=) of a predict request.</summary>
public static class PredictSelectors
{
    /// <summary>The client's Idempotency-Key, or a fresh server id when it sent none.</summary>
    public static (string Id, bool ClientChosen) RequestId(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(PredictEndpoint.IdempotencyHeader, out var values))
            return (ServerIds.New("req_"), false);
        var key = values.ToString();
        if (values.Count != 1 || key.Length is 0 or > 255 || key.Any(c => c is < '!' or > '~'))
            throw new InputException(400, $"The {PredictEndpoint.IdempotencyHeader} header must be one value of 1 to 255 visible ASCII characters (a UUID is ideal); leave the header out for a request that need not be retried safely.");
        return (key, true);
    }

    public static (string? Alias, int? Version) Selector(HttpRequest request)
    {
        var alias = request.Query["alias"].ToString();
        var version = request.Query["version"].ToString();
        if (alias.Length > 0 && version.Length > 0)
            throw new InputException(400, $"?alias={alias} and ?version={version} both pick a version; send one of them.");
        if (version.Length > 0)
        {
            if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
                throw new InputException(400, $"version must be a positive whole number; got '{version}'.");
            return (null, number);
        }

        return (alias.Length > 0 ? alias : null, null);
    }

    public static string NotFound(string name, string? alias, int? version) =>
        version is int v ? $"Your organization has no model '{name}' with version {v}. GET /v1/models lists what you can use."
        : alias is not null ? $"Your organization has no model '{name}' with alias '{alias}'. GET /v1/models lists what you can use."
        : $"Your organization has no model '{name}'. GET /v1/models lists what you can use.";
}
