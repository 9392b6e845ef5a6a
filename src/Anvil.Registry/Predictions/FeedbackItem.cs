namespace Anvil.Registry.Predictions;

/// <summary>One feedback as read back: the correct label given, and what the model version had predicted.</summary>
public sealed record FeedbackItem(Feedback Feedback, string ModelName, int ModelVersion, string PredictedLabelName);
