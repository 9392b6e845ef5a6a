using System.Data.Common;

namespace Anvil.Registry.Storage;

/// <summary>
/// What differs between the backends: how connections and transactions open, a few type names in the
/// migrations, and how errors are recognised. All other SQL is shared.
/// </summary>
internal abstract class SqlDialect : IDisposable
{
    /// <summary>"sqlite" or "postgresql".</summary>
    public abstract string Name { get; }

    /// <summary>Where the data lives, without secrets, for error messages.</summary>
    public abstract string Location { get; }

    public abstract DbConnection OpenConnection();

    /// <summary>
    /// A connection for one session of <see cref="RegistryDatabase"/>, given back with <see cref="Return"/> when the session
    /// ended well (a failed one is disposed instead). By default a new connection from the driver's pool each time.
    /// </summary>
    public virtual DbConnection Rent() => OpenConnection();

    /// <summary>Takes back a connection of <see cref="Rent"/> after a session that ended well.</summary>
    public virtual void Return(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        connection.Dispose();
    }

    /// <summary>
    /// The prepared commands a rented connection keeps between sessions, by SQL text, or null when each session prepares
    /// its own (<see cref="Session"/> disposes those).
    /// </summary>
    public virtual Dictionary<string, DbCommand>? KeptCommands(DbConnection connection) => null;

    /// <summary>A transaction that writes: BEGIN IMMEDIATE on SQLite, READ COMMITTED on PostgreSQL.</summary>
    public abstract DbTransaction BeginWrite(DbConnection connection);

    /// <summary>
    /// A write whose commit does not wait for the disk: survives a killed process but not a power cut,
    /// until the next durable commit (which on both databases flushes it too). For state that a durable
    /// commit confirms later, such as a reservation on a key's counters.
    /// </summary>
    public abstract DbTransaction BeginUnsyncedWrite(DbConnection connection);

    /// <summary>
    /// Waits until this process has no other write transaction on the database, and returns what ends that wait
    /// when disposed (after the commit or rollback); null when the backend needs no such wait (PostgreSQL locks rows,
    /// not the database). See <see cref="WriterGate"/>.
    /// </summary>
    public virtual IDisposable? EnterWriter() => null;

    /// <summary>
    /// Commits a transaction of <see cref="BeginWrite"/>; it is on disk once <see cref="AwaitDisk"/> has returned for the
    /// mark this returns. PostgreSQL's commit waits for its own log flush (nothing left to wait for); SQLite's log is
    /// flushed by <see cref="AwaitDisk"/>, after the write lock is released.
    /// </summary>
    public virtual long CommitForDisk(DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        transaction.Commit();
        return 0;
    }

    /// <summary>
    /// Returns once the commit that returned <paramref name="mark"/> from <see cref="CommitForDisk"/> is on disk; throws
    /// <see cref="UnconfirmedWriteException"/> when the flush fails (the commit stands, its durability is unknown).
    /// </summary>
    public virtual void AwaitDisk(long mark)
    {
    }

    /// <summary>Commits a transaction of <see cref="BeginWrite"/> and returns once it is on disk.</summary>
    public void CommitDurably(DbTransaction transaction) => AwaitDisk(CommitForDisk(transaction));

    /// <summary>A transaction that only reads, seeing one consistent snapshot.</summary>
    public abstract DbTransaction BeginRead(DbConnection connection);

    /// <summary>Replaces the type placeholders of a migration (<c>{blob}</c>, <c>{real}</c>) with this backend's types.</summary>
    public abstract string Translate(string sql);

    /// <summary>Run first in the migration transaction so that two processes never migrate at once.</summary>
    public abstract void LockForMigration(Session session);

    public abstract bool IsUniqueViolation(DbException exception);

    /// <summary>True when the whole transaction can simply be run again (a PostgreSQL deadlock victim).</summary>
    public abstract bool IsTransient(DbException exception);

    /// <summary>
    /// Makes old versions of changed rows unreadable on disk once committed (after crypto-shredding): SQLite truncates
    /// its write-ahead log; PostgreSQL keeps dead rows until VACUUM, which cannot run in a transaction (docs/decisions/0019).
    /// </summary>
    public virtual void DropOldPages()
    {
    }

    public abstract void Dispose();
}
