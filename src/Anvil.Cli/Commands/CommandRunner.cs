using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text.Json;
using Anvil.Registry;

namespace Anvil.Cli.Commands;

/// <summary>
/// Runs a command's body: turns user errors into one line on stderr and an exit code, keeps stack
/// traces for --verbose, and turns Ctrl-C / SIGTERM into a cancellation the trainer honours
/// after its current batch (a second Ctrl-C ends the process at once).
/// </summary>
internal static class CommandRunner
{
    public static Option<bool> Verbose { get; } = new("--verbose") { Description = "Print stack traces of errors.", Recursive = true };

    public static int Run(ParseResult parseResult, Func<CancellationToken, int> body)
    {
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            if (cancellation.IsCancellationRequested)
                return; // second Ctrl-C: let the runtime end the process
            e.Cancel = true;
            Console.Error.WriteLine("\nStopping after the current batch (Ctrl-C again to quit now)...");
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });
        try
        {
            return body(cancellation.Token);
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (parseResult.GetValue(Verbose))
                Console.Error.WriteLine(e);
            return ExitCodes.UserError;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"internal error: {e.Message} (run with --verbose for details)");
            if (parseResult.GetValue(Verbose))
                Console.Error.WriteLine(e);
            return ExitCodes.InternalError;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static bool IsUserError(Exception e) =>
        e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
            or RegistryException or JsonException or UnauthorizedAccessException;
}
