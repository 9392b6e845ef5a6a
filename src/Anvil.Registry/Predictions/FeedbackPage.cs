namespace Anvil.Registry.Predictions;

/// <summary>One page of feedback, newest first; <paramref name="NextCursor"/> reads the next page, null after the last.</summary>
public sealed record FeedbackPage(IReadOnlyList<FeedbackItem> Items, string? NextCursor);
