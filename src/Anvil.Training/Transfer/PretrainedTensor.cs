namespace Anvil.Training.Transfer;

/// <summary>One pretrained tensor: its shape and its values in row-major order.</summary>
/// <example>
/// <code>var bias = new PretrainedTensor([64], new float[64]);</code>
/// </example>
public sealed record PretrainedTensor(long[] Shape, float[] Values);
