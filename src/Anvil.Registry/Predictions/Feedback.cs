namespace Anvil.Registry.Predictions;

/// <summary>A user's correct label for one prediction: the raw material of the next training set.</summary>
public sealed record Feedback(string PredictionId, string OrganizationId, int Label, string LabelName, string? Comment, DateTimeOffset CreatedAt);
