using System.Diagnostics;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>
/// The PostgreSQL server the conformance suite runs against: <c>$ANVIL_TEST_POSTGRES</c> when set, else the
/// throwaway cluster that <c>tests/postgres.sh</c> starts (or reuses). Never skipped: without PostgreSQL the
/// PostgreSQL half of the suite fails and says how to install it.
/// </summary>
public static class PostgresServer
{
    public const string EnvironmentVariable = "ANVIL_TEST_POSTGRES";

    private static readonly Lazy<string> Server = new(Start);

    public static string ConnectionString => Server.Value;

    private static string Start()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment.Trim();
        }

        var installed = Directory.Exists("/usr/lib/postgresql")
            && Directory.EnumerateFiles("/usr/lib/postgresql", "initdb", SearchOption.AllDirectories).Any();
        if (!installed)
        {
            throw new InvalidOperationException("PostgreSQL is not installed: sudo apt-get install -y postgresql");
        }

        var script = Path.Combine(RepositoryRoot(), "tests", "postgres.sh");
        var start = new ProcessStartInfo("bash", [script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {script}.");
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} failed with exit code {process.ExitCode}: {errors.Result}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Anvil.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Anvil.sln above {AppContext.BaseDirectory}: cannot find tests/postgres.sh.");
    }
}
