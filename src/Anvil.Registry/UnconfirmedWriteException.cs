using System.Data.Common;

namespace Anvil.Registry;

/// <summary>
/// A write that was committed but whose flush to disk failed (an I/O error): other sessions already see it, yet it may
/// not survive a crash. Unlike any other <see cref="DbException"/> of a write, it must not be reported as "nothing was
/// written": a usage event in this state counts as billed once the log reaches the disk.
/// </summary>
public sealed class UnconfirmedWriteException : DbException
{
    public UnconfirmedWriteException()
    {
    }

    public UnconfirmedWriteException(string message)
        : base(message)
    {
    }

    public UnconfirmedWriteException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
