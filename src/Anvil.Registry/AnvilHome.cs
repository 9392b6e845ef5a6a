namespace Anvil.Registry;

/// <summary>
/// The data directory: the registry database and every run's artifacts. <c>$ANVIL_HOME</c> when set,
/// else <c>.anvil/</c> under the current directory (like MLflow's <c>mlruns/</c>). Created on first use,
/// readable by its owner only (0700): it holds customer inputs, usage and key hashes.
/// </summary>
public sealed class AnvilHome
{
    public const string EnvironmentVariable = "ANVIL_HOME";
    public const string DefaultDirectoryName = ".anvil";

    public AnvilHome(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        if (File.Exists(Directory))
        {
            throw new RegistryException(
                $"The Anvil home '{Directory}' is a file, not a directory. " +
                $"Set {EnvironmentVariable} to a directory, or move the file away.");
        }

        PrivateFiles.CreateDirectory(Directory);
    }

    /// <summary>Absolute path of the data directory.</summary>
    public string Directory { get; }

    /// <summary>The SQLite registry database, <c>&lt;home&gt;/registry.db</c>.</summary>
    public string DatabasePath => Path.Combine(Directory, "registry.db");

    /// <summary>Creates <c>&lt;home&gt;/<paramref name="relativePath"/></c> (0700, with missing parents) and returns its path.</summary>
    public string CreatePrivateDirectory(string relativePath)
    {
        var path = Path.Combine(Directory, relativePath);
        PrivateFiles.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Resolves the home from <paramref name="getEnvironmentVariable"/> (defaults to the process
    /// environment; tests pass their own so they never mutate process-wide state).
    /// </summary>
    public static AnvilHome Resolve(
        Func<string, string?>? getEnvironmentVariable = null, string? currentDirectory = null)
    {
        return new AnvilHome(DirectoryFrom(getEnvironmentVariable, currentDirectory));
    }

    /// <summary>The absolute path <see cref="Resolve"/> would use, without creating it.</summary>
    public static string DirectoryFrom(Func<string, string?>? getEnvironmentVariable = null, string? currentDirectory = null)
    {
        var fromEnvironment = (getEnvironmentVariable ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        var baseDirectory = currentDirectory ?? System.IO.Directory.GetCurrentDirectory();
        return Path.GetFullPath(string.IsNullOrWhiteSpace(fromEnvironment)
            ? Path.Combine(baseDirectory, DefaultDirectoryName)
            : Path.Combine(baseDirectory, fromEnvironment)); // an absolute ANVIL_HOME wins over the base
    }

    /// <summary><c>&lt;home&gt;/runs/&lt;runId&gt;/artifacts</c>; not created here.</summary>
    public string RunArtifactsDirectory(string runId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (runId is "." or ".." || runId.IndexOfAny(['/', '\\']) >= 0)
        {
            throw new ArgumentException(
                $"Run id '{runId}' cannot name a directory: it must not be '.', '..' or contain a path separator.",
                nameof(runId));
        }

        return Path.Combine(Directory, "runs", runId, "artifacts");
    }
}
