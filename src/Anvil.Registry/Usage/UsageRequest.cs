using Anvil.Registry.Predictions;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Usage;

/// <summary>
/// One served request to bill. <paramref name="RequestId"/> is the client's Idempotency-Key (or an id the
/// server made up); <paramref name="RequestHash"/> a hash of the request body, so that a retry with the same
/// key but another body is told apart from a replay.
/// </summary>
public sealed record UsageRequest(
    ApiKey Key,
    Plan Plan,
    string RequestId,
    string RequestHash,
    string ModelId,
    string ModelName,
    int ModelVersion,
    IReadOnlyList<PredictionRecord> Predictions,
    string ResponseJson);
