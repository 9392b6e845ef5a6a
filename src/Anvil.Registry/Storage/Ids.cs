namespace Anvil.Registry.Storage;

/// <summary>Row ids: time-ordered GUID v7 in the 32-hex-digit "N" form, like run ids.</summary>
internal static class Ids
{
    public static string New(TimeProvider time) => Guid.CreateVersion7(time.GetUtcNow()).ToString("N");
}
