using System.Data.Common;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Tenancy;

/// <summary>
/// API keys: created with their secret shown once, stored as id + SHA-256, authenticated by id lookup and a
/// constant-time hash comparison. No key or secret ever appears in an exception message.
/// </summary>
public sealed class ApiKeys(RegistryDatabase db, TimeProvider time)
{
    private const string Select =
        "SELECT k.id, k.organization_id, o.name, k.plan_name, k.role, k.name, k.created_at, k.expires_at, k.revoked_at, k.key_hash, k.models " +
        "FROM api_keys k JOIN organizations o ON o.id = k.organization_id";

    public CreatedApiKey Create(
        string organization, string plan, Role role = Role.Developer, DateTimeOffset? expiresAt = null, string? name = null,
        IReadOnlyList<string>? models = null)
    {
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentNullException.ThrowIfNull(plan);
        if (models is not null)
        {
            if (models.Count == 0)
            {
                throw new RegistryException("A key scoped to models needs at least one model name; leave the scope out for every model.");
            }

            foreach (var model in models)
            {
                Models.ModelNames.RequireModel(model);
            }
        }
        var roleText = RoleNames.ToText(role);
        if (name is { Length: > 200 })
        {
            throw new ArgumentException("A key name is at most 200 characters.", nameof(name));
        }

        var now = time.GetUtcNow();
        if (expiresAt is { } expiry && expiry <= now)
        {
            throw new RegistryException($"The expiry {expiry:O} is not in the future; give a later time or none.");
        }

        var (id, fullKey) = ApiKeyFormat.New();
        var key = db.Write(session =>
        {
            var found = Organizations.Active(session, organization);
            var chosen = Plans.Get(session, plan);
            session.Execute(
                "INSERT INTO api_keys (id, key_hash, organization_id, plan_name, role, name, created_at, expires_at, models) " +
                "VALUES (@id, @hash, @org, @plan, @role, @name, @now, @expires, @models)",
                ("@id", id), ("@hash", ApiKeyFormat.Hash(fullKey)), ("@org", found.Id), ("@plan", chosen.Name),
                ("@role", roleText), ("@name", name), ("@now", TimeText.From(now)), ("@expires", TimeText.From(expiresAt)),
                ("@models", models is null ? null : string.Join(",", models.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))));
            return FindById(session, id)!.Value.Key;
        });
        return new CreatedApiKey(key, fullKey);
    }

    /// <summary>
    /// Revokes a key given as its full string or its id. Revoking a revoked key changes nothing and
    /// returns it; an unknown key is a <see cref="RegistryException"/>.
    /// </summary>
    public ApiKey Revoke(string keyOrId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyOrId);
        var id = ApiKeyFormat.ParseId(keyOrId) ?? (ApiKeyFormat.IsId(keyOrId) ? keyOrId : null);
        if (id is null)
        {
            // The input may be a mistyped secret: never echo it.
            throw new RegistryException(
                "That is neither an API key nor a key id: a key looks like anvil_<12 characters>_<43 characters>, " +
                "its id is the 12 characters after 'anvil_'. List ids with: ./anvil keys list --org <organization>");
        }

        return db.Write(session =>
        {
            session.Execute(
                "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL",
                ("@id", id), ("@now", TimeText.From(time.GetUtcNow())));
            return FindById(session, id)?.Key ?? throw new RegistryException(
                $"No API key has id '{id}'. List ids with: ./anvil keys list --org <organization>");
        });
    }

    /// <summary>The organization's keys, oldest first, revoked and expired ones included.</summary>
    public IReadOnlyList<ApiKey> List(string organization)
    {
        ArgumentNullException.ThrowIfNull(organization);
        return db.Read(session =>
        {
            var found = Organizations.Find(session, organization) ?? throw Organizations.Missing(organization);
            return session.Query($"{Select} WHERE k.organization_id = @org ORDER BY k.created_at, k.id", r => Read(r).Key, ("@org", found.Id));
        });
    }

    /// <summary>The key with <paramref name="id"/> and its plan, only when it belongs to <paramref name="organizationId"/>; else null.</summary>
    public (ApiKey Key, Plan Plan)? Find(string organizationId, string id)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        if (string.IsNullOrEmpty(id) || !ApiKeyFormat.IsId(id))
            return null;
        return db.Read(session => FindById(session, id) is { } row && row.Key.OrganizationId == organizationId
            ? (row.Key, Plans.Get(session, row.Key.PlanName))
            : ((ApiKey, Plan)?)null);
    }

    /// <summary>Checks a presented key string. Never throws for what a client sends.</summary>
    public AuthenticationResult Authenticate(string? presented)
    {
        if (string.IsNullOrWhiteSpace(presented))
        {
            return new(AuthenticationStatus.Missing, null, null);
        }

        if (ApiKeyFormat.ParseId(presented) is not { } id)
        {
            return new(AuthenticationStatus.Malformed, null, null);
        }

        var found = db.Read(session => FindById(session, id) is { } row
            ? (row.Key, row.Hash, Plan: Plans.Get(session, row.Key.PlanName))
            : default);
        // The hash is checked before revocation and expiry, so knowing an id alone reveals nothing about it.
        if (found.Key is null || !ApiKeyFormat.HashMatches(presented, found.Hash))
        {
            return new(AuthenticationStatus.Unknown, null, null);
        }

        if (found.Key.RevokedAt is not null)
        {
            return new(AuthenticationStatus.Revoked, null, null);
        }

        if (found.Key.ExpiresAt is { } expiresAt && time.GetUtcNow() >= expiresAt)
        {
            return new(AuthenticationStatus.Expired, null, null);
        }

        return new(AuthenticationStatus.Valid, found.Key, found.Plan);
    }

    private static (ApiKey Key, string Hash)? FindById(Session session, string id)
    {
        var rows = session.Query($"{Select} WHERE k.id = @id", Read, ("@id", id));
        return rows is [var row] ? row : null;
    }

    private static (ApiKey Key, string Hash) Read(DbDataReader reader) => (
        new ApiKey(
            reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), RoleNames.Parse(reader.GetString(4)),
            reader.GetNullableString(5), reader.GetTime(6), reader.GetNullableTime(7), reader.GetNullableTime(8),
            reader.GetNullableString(10)?.Split(',')),
        reader.GetString(9));
}
