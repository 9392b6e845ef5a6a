namespace Anvil.Registry;

/// <summary>
/// A request the registry cannot satisfy because of what was asked (an unknown or ambiguous run id,
/// a finished run, a data directory that is a file). The message says what to change; the CLI prints
/// it as one line. Programming errors (null arguments, negative epochs) stay BCL argument exceptions.
/// </summary>
public sealed class RegistryException : Exception
{
    public RegistryException()
    {
    }

    public RegistryException(string message)
        : base(message)
    {
    }

    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
