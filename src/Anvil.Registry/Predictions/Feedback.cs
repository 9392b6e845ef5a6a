namespace Anvil.Registry.Predictions;

/// <summary>A user's correct label for one prediction: the raw material of the next training set. <see cref="KeyId"/> is the API key that sent it (null for feedback stored before keys were recorded).</summary>
public sealed record Feedback(string PredictionId, string OrganizationId, int Label, string LabelName, string? Comment, DateTimeOffset CreatedAt, string? KeyId = null);
