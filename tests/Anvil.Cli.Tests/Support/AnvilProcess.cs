using System.Diagnostics;
using Anvil.Registry.Encryption;

namespace Anvil.Cli.Tests.Support;

/// <summary>Runs the real `anvil` CLI (the built Anvil.Cli) as a child process with its own ANVIL_HOME.</summary>
internal sealed class AnvilProcess : IDisposable
{
    public AnvilProcess()
    {
        Home = Path.Combine(Path.GetTempPath(), "anvil-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Home);
    }

    /// <summary>The ANVIL_HOME of this test; also a scratch folder for input files.</summary>
    public string Home { get; }

    /// <summary>ANVIL_DATABASE_URL for every command (a PostgreSQL registry); null keeps SQLite in the home.</summary>
    public string? DatabaseUrl { get; init; }

    /// <summary>This test's key-encryption key, passed to the CLI as ANVIL_KEK (set it to rotate).</summary>
    public KeyEncryptionKey Kek { get; set; } = KeyEncryptionKey.Generate();

    /// <summary>More variables for every command, set last (a test's ANVIL_KEK_PREVIOUS, say).</summary>
    public Dictionary<string, string> Variables { get; } = [];

    /// <summary>The checkout: the folder above the test's bin that holds Anvil.sln.</summary>
    public static string RepositoryRoot
    {
        get
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Anvil.sln")))
                root = root.Parent;
            return root!.FullName;
        }
    }

    /// <summary>Runs another program (python3, npm, node, dotnet) in <paramref name="directory"/>; stdout and stderr together.</summary>
    public static async Task<(int ExitCode, string Output)> RunProgram(string directory, IReadOnlyDictionary<string, string>? environment, string program, params string[] args)
    {
        using var process = StartProgram(directory, environment, program, args);
        return await Finish(process);
    }

    /// <summary>Starts another program with its output redirected; read it with <see cref="Finish"/> or kill it.</summary>
    public static Process StartProgram(string directory, IReadOnlyDictionary<string, string>? environment, string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        return Process.Start(info)!;
    }

    /// <summary>Waits for a started program's exit; its exit code, stdout and stderr together.</summary>
    public static async Task<(int ExitCode, string Output)> Finish(Process process)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public static string CliDll
    {
        get
        {
            // The test runs from tests/Anvil.Cli.Tests/bin/<Configuration>/net10.0/linux-x64/.
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Parent!.Name;
            return Path.Combine(RepositoryRoot, "src", "Anvil.Cli", "bin", configuration, "net10.0", "linux-x64", "anvil.dll");
        }
    }

    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(CliDll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["ANVIL_HOME"] = Home;
        info.Environment["ANVIL_KEK"] = Kek.ToBase64(); // never the user's default KEK file
        info.Environment.Remove("ANVIL_KEK_FILE");
        info.Environment.Remove("ANVIL_FASHION_MNIST");
        if (DatabaseUrl is null)
            info.Environment.Remove("ANVIL_DATABASE_URL");
        else
            info.Environment["ANVIL_DATABASE_URL"] = DatabaseUrl;
        foreach (var (name, value) in Variables)
            info.Environment[name] = value;
        return Process.Start(info)!;
    }

    /// <summary>
    /// Starts a training and kills it (SIGKILL) as soon as it reports <paramref name="epochLine"/>, e.g. "Epoch 1/4" (the
    /// epoch's checkpoint is written before the report); returns the run's id, null when it never printed one.
    /// </summary>
    public string? KillAfter(string epochLine, params string[] args)
    {
        string? runId = null;
        using var process = Start(args);
        string? line;
        while ((line = process.StandardError.ReadLine()) is not null)
        {
            if (line.StartsWith("Run ", StringComparison.Ordinal))
                runId = line[4..36];
            if (line.StartsWith(epochLine, StringComparison.Ordinal))
            {
                process.Kill();
                break;
            }
        }

        process.WaitForExit();
        return runId;
    }

    public (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The committed 100-mail sample of the SpamAssassin corpus, in the npm package's layout (read only).</summary>
    public static string SpamSample { get; } = Path.Combine(AppContext.BaseDirectory, "TestData", "spam-assassin");

    /// <summary>A Fashion-MNIST folder whose train and test sets are both the 512-image committed sample.</summary>
    public string SampleFashionMnist()
    {
        var directory = Path.Combine(Home, "fashion");
        Directory.CreateDirectory(directory);
        var sample = Path.Combine(AppContext.BaseDirectory, "TestData", "fashion-mnist-sample");
        foreach (var split in new[] { "train", "t10k" })
        {
            File.Copy(Path.Combine(sample, "t10k-images-idx3-ubyte.gz"), Path.Combine(directory, $"{split}-images-idx3-ubyte.gz"), overwrite: true);
            File.Copy(Path.Combine(sample, "t10k-labels-idx1-ubyte.gz"), Path.Combine(directory, $"{split}-labels-idx1-ubyte.gz"), overwrite: true);
        }
        return directory;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Home, recursive: true);
        }
        catch (IOException)
        {
            // a killed child may still be closing files; the temp folder is cleaned by the OS
        }
    }
}
