namespace Anvil.Serving.Inputs;

/// <summary>A request body the server will not run; the message says precisely what was wrong.</summary>
public sealed class InputException(int statusCode, string message) : Exception(message)
{
    /// <summary>400 for a malformed body or wrong shape, 413 for too large, 415 for an unsupported type.</summary>
    public int StatusCode { get; } = statusCode;
}
