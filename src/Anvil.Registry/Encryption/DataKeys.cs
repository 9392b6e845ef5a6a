using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Encryption;

/// <summary>
/// Per-organization data keys (32 random bytes, one live key per organization, made on its first encrypted write),
/// stored only wrapped by the key-encryption key in the data_keys table. <see cref="Destroy"/> crypto-shreds an
/// organization; <see cref="Rotate"/> re-wraps every key under a new KEK without touching the data.
/// </summary>
public sealed class DataKeys(RegistryDatabase db)
{
    public const int KeySize = 32;

    private const string OtherKek = "SELECT kek_fingerprint FROM data_keys WHERE wrapped IS NOT NULL AND kek_fingerprint <> @fingerprint LIMIT 1";

    // Unwrapped keys live only for one session (one transaction), so a destroyed or re-wrapped key is seen by the next one.
    private static readonly ConditionalWeakTable<Session, Dictionary<string, (string Id, byte[] Key)>> Unwrapped = new();

    /// <summary>
    /// Destroys the organization's data keys: their wrapped bytes are erased (on SQLite with secure_delete, and the
    /// write-ahead log truncated), so its encrypted values can never be decrypted again; reading them is a
    /// <see cref="RegistryException"/>. Other organizations are untouched. Returns how many keys were destroyed.
    /// </summary>
    public int Destroy(string organizationId)
    {
        ArgumentNullException.ThrowIfNull(organizationId);
        var destroyed = db.Write(session => DestroyIn(session, organizationId));
        db.Dialect.DropOldPages();
        return destroyed;
    }

    /// <summary>
    /// <see cref="Destroy(string)"/> inside the caller's transaction (<c>orgs erase</c> deletes the rows in the same one);
    /// the caller drops the old pages (<see cref="SqlDialect.DropOldPages"/>) once it has committed.
    /// </summary>
    internal static int DestroyIn(Session session, string organizationId) => session.Execute(
        "UPDATE data_keys SET wrapped = NULL, destroyed_at = @now WHERE organization_id = @org AND wrapped IS NOT NULL",
        ("@now", TimeText.From(session.Vault.Time.GetUtcNow())), ("@org", organizationId));

    /// <summary>
    /// Re-wraps every live data key from <paramref name="previous"/> to the current KEK in one transaction and returns
    /// how many were re-wrapped (keys already under the current KEK are left alone). A key under neither, or a changed
    /// wrapped key, is a <see cref="RegistryException"/> and nothing is changed.
    /// </summary>
    public int Rotate(KeyEncryptionKey previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        return db.Write(session =>
        {
            var current = session.Vault.Kek;
            if (previous.Fingerprint == current.Fingerprint)
                throw new RegistryException($"The previous and the current key-encryption key are the same (fingerprint {current.Fingerprint}); set ANVIL_KEK or ANVIL_KEK_FILE to the new key and pass the old one.");
            var rows = session.Query("SELECT id, organization_id, wrapped, kek_fingerprint FROM data_keys WHERE wrapped IS NOT NULL ORDER BY id",
                reader => (Id: reader.GetString(0), Organization: reader.GetString(1), Wrapped: (byte[])reader.GetValue(2), Fingerprint: reader.GetString(3)));
            var rewrapped = 0;
            foreach (var row in rows.Where(r => r.Fingerprint != current.Fingerprint))
            {
                if (row.Fingerprint != previous.Fingerprint)
                    throw new RegistryException($"Data key {row.Id} is wrapped with the key-encryption key of fingerprint {row.Fingerprint}, not the previous one given ({previous.Fingerprint}) nor the current one ({current.Fingerprint}). Nothing was re-wrapped; pass the key it was wrapped with.");
                var key = previous.Unwrap(row.Wrapped, row.Id, row.Organization);
                session.Execute("UPDATE data_keys SET wrapped = @wrapped, kek_fingerprint = @fingerprint WHERE id = @id",
                    ("@wrapped", current.Wrap(key, row.Id, row.Organization)), ("@fingerprint", current.Fingerprint), ("@id", row.Id));
                CryptographicOperations.ZeroMemory(key);
                rewrapped++;
            }

            return rewrapped;
        });
    }

    /// <summary>
    /// Resolves the key-encryption key (making the default one when none is configured) and checks that it is the one
    /// the stored data keys were wrapped with; a missing, malformed or wrong KEK is a <see cref="RegistryException"/>.
    /// </summary>
    /// <returns>The KEK's fingerprint.</returns>
    public string CheckKek() => db.Read(session =>
    {
        var kek = session.Vault.Kek;
        return session.Scalar(OtherKek, ("@fingerprint", kek.Fingerprint)) is string expected ? throw WrongKek(kek.Fingerprint, expected) : kek.Fingerprint;
    });

    /// <summary>The organization's live data key, made (and wrapped) when it has none.</summary>
    internal static (string Id, byte[] Key) ForWrite(Session session, string organizationId)
    {
        var keys = Unwrapped.GetOrCreateValue(session);
        if (keys.TryGetValue("org:" + organizationId, out var known))
            return known;
        var live = Live(session, organizationId);
        if (live is null)
        {
            var kek = session.Vault.Kek;
            if (session.Scalar(OtherKek, ("@fingerprint", kek.Fingerprint)) is string expected)
                throw WrongKek(kek.Fingerprint, expected); // never wrap a new key under a KEK the others were not wrapped with
            var id = Guid.NewGuid().ToString("N");
            var key = RandomNumberGenerator.GetBytes(KeySize);
            session.Execute(
                "INSERT INTO data_keys (id, organization_id, wrapped, kek_fingerprint, created_at) VALUES (@id, @org, @wrapped, @fingerprint, @now) ON CONFLICT DO NOTHING",
                ("@id", id), ("@org", organizationId), ("@wrapped", kek.Wrap(key, id, organizationId)), ("@fingerprint", kek.Fingerprint),
                ("@now", TimeText.From(session.Vault.Time.GetUtcNow())));
            // Not cached: a savepoint (the ledger's group commit) may roll this row back with the value sealed under it,
            // and the next value must then make a key that is stored, not reuse one that is gone.
            return Live(session, organizationId) ?? throw new InvalidOperationException("The data key just stored is missing.");
        }

        keys["org:" + organizationId] = live.Value;
        keys[live.Value.Id] = live.Value;
        return live.Value;
    }

    /// <summary>The data key <paramref name="keyId"/> of <paramref name="organizationId"/>; a destroyed, unknown or foreign key is a <see cref="RegistryException"/>.</summary>
    internal static byte[] ForRead(Session session, string keyId, string organizationId, string context)
    {
        var keys = Unwrapped.GetOrCreateValue(session);
        if (keys.TryGetValue(keyId, out var known))
            return known.Key;
        var row = session.QuerySingle("SELECT organization_id, wrapped, kek_fingerprint, destroyed_at FROM data_keys WHERE id = @id",
            reader => new KeyRow(reader.GetString(0), reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1), reader.GetString(2), reader.GetNullableString(3)),
            ("@id", keyId));
        if (row is null || row.Organization != organizationId)
            throw new RegistryException($"The encrypted value {context} names data key {keyId}, which organization {organizationId} does not have. Nothing was decrypted; restore the data from a backup.");
        if (row.Wrapped is null)
            throw new RegistryException($"The encrypted value {context} cannot be read: organization {organizationId}'s data key was destroyed on {row.DestroyedAt} (erased), so its data can never be decrypted.");
        var key = Unwrap(session.Vault.Kek, keyId, row);
        keys[keyId] = (keyId, key);
        return key;
    }

    private static (string Id, byte[] Key)? Live(Session session, string organizationId)
    {
        var rows = session.Query("SELECT id, organization_id, wrapped, kek_fingerprint FROM data_keys WHERE organization_id = @org AND wrapped IS NOT NULL",
            reader => (Id: reader.GetString(0), Row: new KeyRow(reader.GetString(1), (byte[])reader.GetValue(2), reader.GetString(3), null)), ("@org", organizationId));
        return rows is [var live] ? (live.Id, Unwrap(session.Vault.Kek, live.Id, live.Row)) : null;
    }

    private static byte[] Unwrap(KeyEncryptionKey kek, string keyId, KeyRow row) =>
        row.Fingerprint == kek.Fingerprint ? kek.Unwrap(row.Wrapped, keyId, row.Organization) : throw WrongKek(kek.Fingerprint, row.Fingerprint);

    private static RegistryException WrongKek(string given, string expected) => new(
        $"The key-encryption key does not match the one the data keys were wrapped with (fingerprint {given}, expected {expected}). " +
        $"Set {KeyEncryptionKeySource.Variable} or {KeyEncryptionKeySource.FileVariable} to the key of fingerprint {expected}; nothing was decrypted or changed.");

    private sealed record KeyRow(string Organization, byte[]? Wrapped, string Fingerprint, string? DestroyedAt);
}
