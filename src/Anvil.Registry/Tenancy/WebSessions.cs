using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Tenancy;

/// <summary>
/// Dashboard sessions kept in the registry database, so every replica sees a sign-out or a revoked key at
/// once. The browser holds a random token (32 bytes, base64url); only its SHA-256 is stored. A session is
/// found only while it, its API key and the key's expiry are all current.
/// </summary>
public sealed class WebSessions(RegistryDatabase db, TimeProvider time)
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(8);

    private const int TokenBytes = 32;

    /// <summary>Opens a session for a valid <paramref name="key"/>; returns the token for the cookie (shown nowhere else).</summary>
    public (string Token, WebSession Session) Open(ApiKey key, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var span = lifetime ?? DefaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(span, TimeSpan.Zero);
        var now = time.GetUtcNow();
        var expires = key.ExpiresAt is { } keyExpiry && keyExpiry < now + span ? keyExpiry : now + span;
        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes));
        db.Write(session =>
        {
            // Expired sessions of any key are swept here, so the table stays as small as the live sessions.
            session.Execute("DELETE FROM web_sessions WHERE expires_at <= @now", ("@now", TimeText.From(now)));
            return session.Execute(
                "INSERT INTO web_sessions (token_hash, organization_id, key_id, role, created_at, expires_at) " +
                "VALUES (@hash, @org, @key, @role, @now, @expires)",
                ("@hash", Hash(token)), ("@org", key.OrganizationId), ("@key", key.Id), ("@role", RoleNames.ToText(key.Role)),
                ("@now", TimeText.From(now)), ("@expires", TimeText.From(expires)));
        });
        return (token, new WebSession(key.OrganizationId, key.OrganizationName, key.Id, key.Role, now, expires, key.Models));
    }

    /// <summary>The live session of <paramref name="token"/>, or null (unknown, forged, expired, signed out, or its key revoked or expired).</summary>
    public WebSession? Find(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100 || !Base64Url.IsValid(token, out var length) || length != TokenBytes)
            return null;
        var now = TimeText.From(time.GetUtcNow());
        return db.Read(session => session.QuerySingle(
            "SELECT s.organization_id, o.name, s.key_id, k.role, s.created_at, s.expires_at, k.models " +
            "FROM web_sessions s JOIN api_keys k ON k.id = s.key_id JOIN organizations o ON o.id = s.organization_id " +
            "WHERE s.token_hash = @hash AND s.expires_at > @now AND k.revoked_at IS NULL " +
            "AND (k.expires_at IS NULL OR k.expires_at > @now) AND k.organization_id = s.organization_id",
            reader => new WebSession(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), RoleNames.Parse(reader.GetString(3)),
                reader.GetTime(4), reader.GetTime(5), reader.GetNullableString(6)?.Split(',')),
            ("@hash", Hash(token)), ("@now", now)));
    }

    /// <summary>Ends the session of <paramref name="token"/> (sign-out); false when there was none.</summary>
    public bool End(string? token) =>
        !string.IsNullOrEmpty(token) && token.Length <= 100 &&
        db.Write(session => session.Execute("DELETE FROM web_sessions WHERE token_hash = @hash", ("@hash", Hash(token)))) > 0;

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
