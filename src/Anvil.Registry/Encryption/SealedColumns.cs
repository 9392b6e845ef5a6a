using System.Text;
using Anvil.Registry.Storage;

namespace Anvil.Registry.Encryption;

/// <summary>
/// Column values sealed under their organization's data key on write and opened on read, so callers see plaintext.
/// Rows written before encryption (no envelope magic, or no text prefix) are read as they are. An empty byte value
/// (an unsampled prediction's input) stays empty: it holds nothing, and queries tell it apart by its length.
/// </summary>
internal static class SealedColumns
{
    /// <summary>Marks a sealed text value: the prefix, then the envelope in base64.</summary>
    public const string TextPrefix = "anvil-sealed:";

    public static byte[] Seal(Session session, string organizationId, string context, byte[] plaintext) =>
        plaintext.Length == 0 ? plaintext : SealAlways(session, organizationId, context, plaintext);

    public static byte[] Open(Session session, string organizationId, string context, byte[] stored) =>
        Envelope.IsSealed(stored) ? OpenAlways(session, organizationId, context, stored) : stored;

    public static string? SealText(Session session, string organizationId, string context, string? plaintext) =>
        plaintext is null ? null : TextPrefix + Convert.ToBase64String(SealAlways(session, organizationId, context, Encoding.UTF8.GetBytes(plaintext)));

    public static string? OpenText(Session session, string organizationId, string context, string? stored)
    {
        if (stored is null || !stored.StartsWith(TextPrefix, StringComparison.Ordinal))
            return stored;
        byte[] envelope;
        try
        {
            envelope = Convert.FromBase64String(stored[TextPrefix.Length..]);
        }
        catch (FormatException)
        {
            throw new RegistryException($"The encrypted value {context} was refused: it is not valid base64. Nothing was decrypted; restore the data from a backup.");
        }

        return Encoding.UTF8.GetString(OpenAlways(session, organizationId, context, envelope));
    }

    public static byte[] SealAlways(Session session, string organizationId, string context, byte[] plaintext)
    {
        var (id, key) = DataKeys.ForWrite(session, organizationId);
        return Envelope.Seal(key, id, plaintext, organizationId, context);
    }

    public static byte[] OpenAlways(Session session, string organizationId, string context, byte[] envelope)
    {
        var key = DataKeys.ForRead(session, Envelope.KeyId(envelope, context), organizationId, context);
        return Envelope.Open(key, envelope, organizationId, context);
    }
}
