using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Anvil.Bench;

/// <summary>
/// Fills a migrated SQLite registry for the dashboard benchmark with bulk inserts in one transaction: runs with
/// parameters, metrics and per-epoch metrics, usage events spread over 60 days with their daily rollup, and
/// predictions with feedback.
/// </summary>
internal static class DashboardSeed
{
    public const int Epochs = 20;

    public static void Fill(string databasePath, string organizationId, string keyId, IReadOnlyList<(string Id, string Name)> models, int runs, int events, int feedback, DateTimeOffset now)
    {
        using var connection = new SqliteConnection($"Data Source={databasePath}");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        var random = new Random(42);
        using (var run = Command(connection, "INSERT INTO runs (id, name, status, dataset_hash, started_at, heartbeat_at, finished_at, organization_id) VALUES ($1, $2, 'finished', 'sha256-bench', $3, $3, $3, $4)"))
        using (var parameter = Command(connection, "INSERT INTO run_parameters (run_id, key, value) VALUES ($1, $2, $3)"))
        using (var metric = Command(connection, "INSERT INTO run_metrics (run_id, key, value) VALUES ($1, $2, $3)"))
        using (var epochMetric = Command(connection, "INSERT INTO epoch_metrics (run_id, epoch, key, value) VALUES ($1, $2, $3, $4)"))
        using (var tag = Command(connection, "INSERT INTO run_tags (run_id, key, value) VALUES ($1, 'team', $2)"))
        {
            for (var i = 0; i < runs; i++)
            {
                var id = Guid.CreateVersion7().ToString("N");
                Run(run, id, $"run-{i:D4}", Time(now.AddMinutes(i - runs)), organizationId);
                foreach (var (key, value) in new[] { ("lr", "0.001"), ("batch_size", "64"), ("epochs", $"{Epochs}"), ("optimizer", "adam"), ("seed", $"{i}") })
                    Run(parameter, id, key, value);
                foreach (var key in new[] { "test_accuracy", "test_macro_auc", "test_loss" })
                    Run(metric, id, key, random.NextDouble());
                for (var epoch = 1; epoch <= Epochs; epoch++)
                {
                    foreach (var key in new[] { "train_loss", "val_loss", "train_accuracy", "val_accuracy" })
                        Run(epochMetric, id, epoch, key, random.NextDouble());
                }

                Run(tag, id, i % 2 == 0 ? "vision" : "text");
            }
        }

        using (var usage = Command(connection,
            "INSERT INTO usage_events (id, organization_id, key_id, plan_name, price_per_1000_micros, model_id, model_name, model_version, request_id, request_hash, quantity, response_json, created_at, replay_request_id) " +
            "VALUES ($1, $2, $3, 'bench', 200000, $4, $5, 1, $1, 'hash', $6, '{}', $7, NULL)"))
        {
            for (var i = 0; i < events; i++)
            {
                var (modelId, modelName) = models[i % models.Count];
                Run(usage, $"e{i}", organizationId, keyId, modelId, modelName, 1 + i % 4, Time(now.AddSeconds(-(double)i * 60 * 24 * 3600 / events)));
            }
        }

        using (var rollup = Command(connection,
            "INSERT INTO usage_daily (organization_id, day, model_name, plan_name, price_per_1000_micros, requests, predictions) " +
            "SELECT organization_id, substr(created_at, 1, 10), model_name, plan_name, price_per_1000_micros, COUNT(*), SUM(quantity) FROM usage_events " +
            "GROUP BY organization_id, substr(created_at, 1, 10), model_name, plan_name, price_per_1000_micros"))
            rollup.ExecuteNonQuery();

        using (var prediction = Command(connection,
            "INSERT INTO predictions (id, organization_id, request_id, model_name, model_version, input, input_shape, label, label_name, probabilities, created_at) " +
            "VALUES ($1, $2, $3, $4, 1, x'00', '1', $5, $6, '[]', $7)"))
        using (var item = Command(connection, "INSERT INTO feedback (prediction_id, organization_id, label, label_name, comment, created_at) VALUES ($1, $2, $3, $4, NULL, $5)"))
        {
            for (var i = 0; i < feedback; i++)
            {
                var label = i % 10;
                var at = Time(now.AddSeconds(-i * 10));
                Run(prediction, $"p{i}", organizationId, $"e{i}", models[i % models.Count].Name, (label + 1) % 10, $"class-{(label + 1) % 10}", at);
                Run(item, $"p{i}", organizationId, label, $"class-{label}", at);
            }
        }

        transaction.Commit();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }

    private static void Run(SqliteCommand command, params object[] values)
    {
        command.Parameters.Clear();
        for (var i = 0; i < values.Length; i++)
            command.Parameters.AddWithValue($"${i + 1}", values[i]);
        command.ExecuteNonQuery();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
