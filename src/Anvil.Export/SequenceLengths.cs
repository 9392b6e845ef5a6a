namespace Anvil.Export;

/// <summary>The graph values holding each sequence's valid length (B): int64 for masks and indices, int32 for LSTM/GRU's sequence_lens.</summary>
internal sealed record SequenceLengths(string Int64, string Int32);
