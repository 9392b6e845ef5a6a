using System.Diagnostics;
using Npgsql;

namespace Anvil.Cli.Tests.Support;

/// <summary>
/// A fresh, empty database in the test PostgreSQL cluster (<c>$ANVIL_TEST_POSTGRES</c>, else the one
/// <c>tests/postgres.sh</c> starts or reuses), for CLI processes that share one registry.
/// </summary>
internal static class TestPostgres
{
    public static string CreateDatabase()
    {
        var server = Environment.GetEnvironmentVariable("ANVIL_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
            server = StartCluster();
        var name = "anvil_cli_" + Guid.NewGuid().ToString("N")[..12];
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection); // name is ours: letters, digits, '_'
            command.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static string StartCluster()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Anvil.sln")))
            root = root.Parent;
        var start = new ProcessStartInfo("bash", [Path.Combine(root!.FullName, "tests", "postgres.sh")]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "tests/postgres.sh failed; install PostgreSQL with: sudo apt-get install -y postgresql");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
    }
}
