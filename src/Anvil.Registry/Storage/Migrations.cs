namespace Anvil.Registry.Storage;

/// <summary>
/// The registry schema, oldest first. Append new steps; never edit a released one. SQL stays within
/// what SQLite and PostgreSQL share (text ids, ISO-8601 UTC text times, ON CONFLICT upserts).
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "runs, parameters, run metrics, epoch metrics", """
            CREATE TABLE runs (
                id           TEXT PRIMARY KEY,
                name         TEXT NOT NULL,
                status       TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed', 'interrupted')),
                dataset_hash TEXT NOT NULL,
                started_at   TEXT NOT NULL,
                heartbeat_at TEXT NOT NULL, -- moved by every write; a stale one on a running run means a dead process (lease expiry later)
                finished_at  TEXT
            );
            CREATE INDEX runs_by_start ON runs (started_at DESC, id DESC);
            CREATE INDEX runs_by_status_heartbeat ON runs (status, heartbeat_at);

            CREATE TABLE run_parameters (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                key    TEXT NOT NULL,
                value  TEXT NOT NULL,
                PRIMARY KEY (run_id, key)
            );

            -- value NULL stands for NaN: SQLite stores a NaN REAL as NULL.
            CREATE TABLE run_metrics (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                key    TEXT NOT NULL,
                value  REAL,
                PRIMARY KEY (run_id, key)
            );

            CREATE TABLE epoch_metrics (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                epoch  INTEGER NOT NULL CHECK (epoch >= 0),
                key    TEXT NOT NULL,
                value  REAL,
                PRIMARY KEY (run_id, epoch, key)
            );
            """),
    ];
}
