using Anvil.Registry.Predictions;
using Anvil.Registry.Tenancy;

namespace Anvil.Registry.Usage;

/// <summary>
/// One served request to bill. <paramref name="RequestId"/> is the client's Idempotency-Key (or an id the
/// server made up); <paramref name="RequestHash"/> a hash of the request body, so that a retry with the same
/// key but another body is told apart from a replay. With a granted <paramref name="Reservation"/> the counters
/// were already moved before inference and the event consumes it; without one the ledger checks and moves them
/// when it records the request. <paramref name="FreshId"/> says the server made <paramref name="RequestId"/> up
/// for this request (a time-ordered random id), so no event can hold it yet and the ledger skips the replay lookup.
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
    string ResponseJson,
    Reservation? Reservation = null,
    bool FreshId = false);
