namespace Anvil.Registry.Predictions;

/// <summary>One logged prediction with its input, when it was made, and the feedback on it (null when none came).</summary>
public sealed record LoggedInput(PredictionRecord Prediction, DateTimeOffset CreatedAt, Feedback? Feedback);
