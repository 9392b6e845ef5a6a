namespace Anvil.Registry.Storage;

/// <summary>
/// The registry schema, oldest first. Append new steps; never edit a released one. SQL stays within
/// what SQLite and PostgreSQL share (text ids, ISO-8601 UTC text times, BIGINT counts, ON CONFLICT
/// upserts); the few types that differ are placeholders the dialect fills in: <c>{blob}</c> (BLOB, BYTEA)
/// and <c>{real}</c> (REAL, DOUBLE PRECISION: PostgreSQL's REAL is only 32-bit).
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
                value  {real},
                PRIMARY KEY (run_id, key)
            );

            CREATE TABLE epoch_metrics (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                epoch  INTEGER NOT NULL CHECK (epoch >= 0),
                key    TEXT NOT NULL,
                value  {real},
                PRIMARY KEY (run_id, epoch, key)
            );
            """),

        new(2, "organizations, members, plans, API keys", """
            CREATE TABLE organizations (
                id         TEXT NOT NULL PRIMARY KEY,
                name       TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL
            );

            CREATE TABLE members (
                organization_id TEXT NOT NULL REFERENCES organizations (id),
                email           TEXT NOT NULL, -- lower case
                role            TEXT NOT NULL CHECK (role IN ('viewer', 'developer', 'owner')),
                added_at        TEXT NOT NULL,
                PRIMARY KEY (organization_id, email)
            );

            -- Prices in micros (1e-6 USD) per 1,000 predictions: integer arithmetic all the way to the invoice.
            CREATE TABLE plans (
                name                  TEXT NOT NULL PRIMARY KEY,
                requests_per_minute   BIGINT NOT NULL CHECK (requests_per_minute > 0),
                monthly_quota         BIGINT NOT NULL CHECK (monthly_quota > 0),
                price_per_1000_micros BIGINT NOT NULL CHECK (price_per_1000_micros >= 0)
            );
            INSERT INTO plans (name, requests_per_minute, monthly_quota, price_per_1000_micros) VALUES
                ('free', 60, 1000, 0),
                ('pro', 600, 100000, 500000),
                ('enterprise', 6000, 10000000, 200000);

            -- A key is "anvil_<id>_<secret>"; only the id and the SHA-256 (hex) of the whole string are kept.
            CREATE TABLE api_keys (
                id              TEXT NOT NULL PRIMARY KEY,
                key_hash        TEXT NOT NULL,
                organization_id TEXT NOT NULL REFERENCES organizations (id),
                plan_name       TEXT NOT NULL REFERENCES plans (name),
                role            TEXT NOT NULL CHECK (role IN ('viewer', 'developer', 'owner')),
                name            TEXT,
                created_at      TEXT NOT NULL,
                expires_at      TEXT,
                revoked_at      TEXT
            );
            CREATE INDEX api_keys_by_organization ON api_keys (organization_id, created_at);
            """),
        new(3, "registered models, versions, aliases", """
            CREATE TABLE registered_models (
                id              TEXT NOT NULL PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations (id),
                name            TEXT NOT NULL,
                -- Moved by a row-locking UPDATE ... RETURNING, so concurrent registrations get distinct numbers.
                latest_version  BIGINT NOT NULL DEFAULT 0,
                created_at      TEXT NOT NULL,
                UNIQUE (organization_id, name)
            );

            -- Immutable once written: the code has no UPDATE for this table.
            CREATE TABLE model_versions (
                model_id        TEXT NOT NULL REFERENCES registered_models (id),
                version         BIGINT NOT NULL CHECK (version > 0),
                directory       TEXT NOT NULL,
                manifest_digest TEXT NOT NULL,
                run_id          TEXT,
                created_at      TEXT NOT NULL,
                PRIMARY KEY (model_id, version)
            );

            CREATE TABLE model_aliases (
                model_id   TEXT NOT NULL,
                alias      TEXT NOT NULL,
                version    BIGINT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (model_id, alias),
                FOREIGN KEY (model_id, version) REFERENCES model_versions (model_id, version)
            );
            """),
        new(4, "usage counters, usage events, predictions, feedback", """
            -- bucket is a UTC minute '2025-01-02T03:04' (requests, for the rate limit) or a UTC month
            -- '2025-01' (predictions, for the quota). Incremented only by conditional UPDATEs.
            CREATE TABLE usage_counters (
                key_id TEXT NOT NULL REFERENCES api_keys (id),
                bucket TEXT NOT NULL,
                used   BIGINT NOT NULL CHECK (used >= 0),
                PRIMARY KEY (key_id, bucket)
            );

            -- One row per billed request; (organization_id, request_id) makes billing exactly once.
            CREATE TABLE usage_events (
                id                    TEXT NOT NULL PRIMARY KEY,
                organization_id       TEXT NOT NULL REFERENCES organizations (id),
                key_id                TEXT NOT NULL REFERENCES api_keys (id),
                plan_name             TEXT NOT NULL,
                price_per_1000_micros BIGINT NOT NULL CHECK (price_per_1000_micros >= 0), -- the plan's price when billed
                model_id              TEXT NOT NULL REFERENCES registered_models (id),
                model_name            TEXT NOT NULL,
                model_version         BIGINT NOT NULL,
                request_id            TEXT NOT NULL,
                request_hash          TEXT NOT NULL,
                quantity              BIGINT NOT NULL CHECK (quantity > 0), -- predictions in the request
                response_json         TEXT NOT NULL,
                created_at            TEXT NOT NULL,
                UNIQUE (organization_id, request_id)
            );
            CREATE INDEX usage_events_by_time ON usage_events (organization_id, created_at);

            CREATE TABLE predictions (
                id              TEXT NOT NULL PRIMARY KEY,
                organization_id TEXT NOT NULL,
                request_id      TEXT NOT NULL,
                model_name      TEXT NOT NULL,
                model_version   BIGINT NOT NULL,
                input           {blob} NOT NULL, -- float32 little-endian, as received
                input_shape     TEXT NOT NULL,   -- "1,28,28"
                label           BIGINT NOT NULL,
                label_name      TEXT NOT NULL,
                probabilities   TEXT NOT NULL,   -- JSON array of float32
                created_at      TEXT NOT NULL,
                FOREIGN KEY (organization_id, request_id) REFERENCES usage_events (organization_id, request_id)
            );
            CREATE INDEX predictions_by_request ON predictions (organization_id, request_id);

            -- At most one per prediction: a second one replaces the first.
            CREATE TABLE feedback (
                prediction_id   TEXT NOT NULL PRIMARY KEY REFERENCES predictions (id),
                organization_id TEXT NOT NULL REFERENCES organizations (id),
                label           BIGINT NOT NULL,
                label_name      TEXT NOT NULL,
                comment         TEXT,
                created_at      TEXT NOT NULL
            );
            CREATE INDEX feedback_by_organization ON feedback (organization_id, created_at);
            """),
        new(5, "daily usage rollup, kept in the ledger transaction", """
            -- Usage by day, model and price, added to in the savepoint that writes each usage event, so
            -- /v1/usage and invoices read a few rows per day instead of every event of the month.
            CREATE TABLE usage_daily (
                organization_id       TEXT NOT NULL REFERENCES organizations (id),
                day                   TEXT NOT NULL, -- UTC 'yyyy-MM-dd'
                model_name            TEXT NOT NULL,
                plan_name             TEXT NOT NULL,
                price_per_1000_micros BIGINT NOT NULL,
                requests              BIGINT NOT NULL CHECK (requests > 0),
                predictions           BIGINT NOT NULL CHECK (predictions > 0),
                PRIMARY KEY (organization_id, day, model_name, plan_name, price_per_1000_micros)
            );
            INSERT INTO usage_daily (organization_id, day, model_name, plan_name, price_per_1000_micros, requests, predictions)
                SELECT organization_id, substr(created_at, 1, 10), model_name, plan_name, price_per_1000_micros, COUNT(*), SUM(quantity)
                FROM usage_events
                GROUP BY organization_id, substr(created_at, 1, 10), model_name, plan_name, price_per_1000_micros;
            """),
        new(6, "API keys scoped to models", """
            -- Comma-separated model names the key may use; NULL: every model of its organization.
            ALTER TABLE api_keys ADD COLUMN models TEXT;
            """),
        new(7, "inputs per request capped by the plan", """
            -- A request's inputs are reserved against the quota before inference, so the plan also bounds
            -- how much work one request may ask for (free keys once sent 1,024 inputs per request).
            ALTER TABLE plans ADD COLUMN max_inputs_per_request BIGINT NOT NULL DEFAULT 1024 CHECK (max_inputs_per_request > 0);
            UPDATE plans SET max_inputs_per_request = 32 WHERE name = 'free';
            UPDATE plans SET max_inputs_per_request = 256 WHERE name = 'pro';
            """),
        new(8, "log policy per model: sampling and retention of logged inputs", """
            -- Share of predictions whose input is logged (0 to 1, decided from the prediction id), and how
            -- many days logged predictions are kept before ./anvil predictions prune deletes them.
            -- Billing rows (usage_events, usage_daily) are never pruned.
            ALTER TABLE registered_models ADD COLUMN log_sample_rate {real} NOT NULL DEFAULT 1.0;
            ALTER TABLE registered_models ADD COLUMN log_retention_days BIGINT NOT NULL DEFAULT 30;
            CREATE INDEX predictions_by_model_time ON predictions (organization_id, model_name, created_at);
            """),
        new(9, "idempotent answers expire: the Idempotency-Key moves to replay_request_id", """
            -- The Idempotency-Key under which an event's answer is replayed; set to NULL when the key is used
            -- again after the idempotency window, in the transaction that bills the new request, so the old
            -- event stays as the billing record and never blocks the new one. NULLs are distinct, so only
            -- live keys are unique. request_id stays each event's unique name within its organization (that
            -- predictions reference): the client's key for events written before this migration, the event
            -- id for events written after it.
            ALTER TABLE usage_events ADD COLUMN replay_request_id TEXT;
            UPDATE usage_events SET replay_request_id = request_id;
            CREATE UNIQUE INDEX usage_events_by_replay_request_id ON usage_events (organization_id, replay_request_id);
            """),
        new(10, "tuning studies, their trials and the trials' per-epoch values", """
            -- A study file as JSON: a worker that joins an existing study must bring the same definition.
            CREATE TABLE studies (
                id         TEXT NOT NULL PRIMARY KEY,
                name       TEXT NOT NULL UNIQUE,
                definition TEXT NOT NULL,
                created_at TEXT NOT NULL
            );

            -- A trial is leased by one worker at a time: a lease whose expiry has passed (the worker died or
            -- hung) is taken over by the next worker that asks, which resumes the trial's run from its
            -- checkpoint. parameters is a JSON object of the samplers' internal values.
            CREATE TABLE trials (
                study_id         TEXT NOT NULL REFERENCES studies (id),
                number           BIGINT NOT NULL CHECK (number >= 0),
                state            TEXT NOT NULL CHECK (state IN ('running', 'complete', 'pruned', 'failed')),
                parameters       TEXT NOT NULL,
                value            {real},
                run_id           TEXT REFERENCES runs (id),
                worker           TEXT NOT NULL,
                lease_expires_at TEXT, -- NULL once the trial has ended
                started_at       TEXT NOT NULL,
                finished_at      TEXT,
                PRIMARY KEY (study_id, number)
            );

            -- The study's metric after each epoch: what pruners compare and `tune show` plots.
            CREATE TABLE trial_values (
                study_id TEXT NOT NULL,
                number   BIGINT NOT NULL,
                epoch    BIGINT NOT NULL CHECK (epoch > 0),
                value    {real},
                PRIMARY KEY (study_id, number, epoch),
                FOREIGN KEY (study_id, number) REFERENCES trials (study_id, number)
            );
            """),
        new(11, "run tags", """
            CREATE TABLE run_tags (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                key    TEXT NOT NULL,
                value  TEXT NOT NULL,
                PRIMARY KEY (run_id, key)
            );
            CREATE INDEX run_tags_by_key_value ON run_tags (key, value);
            """),
        new(12, "runs belong to an organization (NULL for runs recorded before)", """
            ALTER TABLE runs ADD COLUMN organization_id TEXT REFERENCES organizations (id);
            CREATE INDEX runs_by_organization ON runs (organization_id, started_at DESC, id DESC);
            """),
        new(13, "dashboard sign-in sessions; feedback counted by label", """
            -- A browser's session on the dashboard, made by signing in with an API key. Only SHA-256 of the
            -- cookie's random token is stored. It ends at expires_at, on sign-out (deleted), and when its key is
            -- revoked or expires (every lookup joins api_keys), on every replica alike.
            CREATE TABLE web_sessions (
                token_hash      TEXT NOT NULL PRIMARY KEY,
                organization_id TEXT NOT NULL REFERENCES organizations (id),
                key_id          TEXT NOT NULL REFERENCES api_keys (id),
                role            TEXT NOT NULL,
                created_at      TEXT NOT NULL,
                expires_at      TEXT NOT NULL
            );
            CREATE INDEX web_sessions_by_expiry ON web_sessions (expires_at);

            -- The dashboard's label distribution counts feedback per label from this index alone.
            CREATE INDEX feedback_by_label ON feedback (organization_id, label_name);
            """),
        new(14, "a run's test evaluation document", """
            -- The confusion matrix and ROC curves of a run's test evaluation (JSON, format anvil.evaluation/1),
            -- so the dashboard draws them on any replica, not only where the run's files are.
            CREATE TABLE run_evaluations (
                run_id   TEXT NOT NULL PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
                document TEXT NOT NULL
            );
            """),
        new(15, "feedback records the key that sent it", """
            -- Retraining screens feedback per key (one key cannot dominate or poison a retraining set).
            -- NULL for feedback given before this version, which retraining counts as one unknown sender.
            ALTER TABLE feedback ADD COLUMN key_id TEXT REFERENCES api_keys (id);
            """),
        new(16, "per-organization data keys for encryption at rest", """
            -- Each organization's AES-256 data key, stored only wrapped (AES-256-GCM: nonce, key, tag) by the
            -- key-encryption key, which never enters the database; kek_fingerprint names the KEK that wrapped it, so a
            -- wrong KEK is reported as such. Destroying a key (crypto-shredding, ./anvil orgs erase) sets wrapped to
            -- NULL and keeps the row, so a value sealed under it is reported as erased rather than unknown. No foreign
            -- key to organizations: the tombstone outlives an erased organization. One live key per organization.
            CREATE TABLE data_keys (
                id              TEXT NOT NULL PRIMARY KEY,
                organization_id TEXT NOT NULL,
                wrapped         {blob},
                kek_fingerprint TEXT NOT NULL,
                created_at      TEXT NOT NULL,
                destroyed_at    TEXT
            );
            CREATE UNIQUE INDEX data_keys_live_by_organization ON data_keys (organization_id) WHERE wrapped IS NOT NULL;
            """),
        new(17, "organizations can be erased (crypto-shredding); the row stays so invoices still name it", """
            -- Set by ./anvil orgs erase: the organization's data is deleted, its billing records (usage_events without
            -- their answers, usage_daily) stay, and nothing may use the organization again.
            ALTER TABLE organizations ADD COLUMN erased_at TEXT;
            """),
        new(18, "a multi-objective trial's value of each objective", """
            -- A JSON array of doubles, one per objective in the study's order (decision 0022); NULL for a single-objective
            -- study's trials (their value is trials.value) and for trials that did not complete.
            ALTER TABLE trials ADD COLUMN objective_values TEXT;
            """),
    ];
}
