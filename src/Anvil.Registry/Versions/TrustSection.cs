namespace Anvil.Registry.Versions;

/// <summary>
/// One part of a <see cref="TrustReport"/>: either measured, with where the figures came from and the figures, or
/// "not measured" with why. A figure is never filled in when it was not measured.
/// </summary>
/// <param name="Status"><see cref="Measured"/> or <see cref="NotMeasured"/>.</param>
/// <param name="Source">Where the figures come from (a run id, the version's manifest); null when not measured.</param>
/// <param name="Values">Figure name → value, as the run recorded it; empty when not measured.</param>
/// <param name="Note">What a reader must know: why it was not measured, or how to read the figures.</param>
public sealed record TrustSection(string Status, string? Source, IReadOnlyDictionary<string, double> Values, string? Note)
{
    public const string Measured = "measured";
    public const string NotMeasured = "not measured";

    public static TrustSection Of(string source, IReadOnlyDictionary<string, double> values, string? note = null) =>
        values.Count == 0 ? Missing($"{source} records none of these figures") : new(Measured, source, values, note);

    public static TrustSection Missing(string why) => new(NotMeasured, null, new Dictionary<string, double>(), why);

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsMeasured => Status == Measured;
}
