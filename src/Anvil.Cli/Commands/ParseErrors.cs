using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Anvil.Cli.Commands;

/// <summary>
/// A command line that does not parse gets one line on stderr, in the user's words rather than .NET's,
/// with where to look next — not the help dump System.CommandLine prints by default.
/// <code>error: 'abc' is not a valid --limit: expected a whole number. See ./anvil runs list --help.</code>
/// </summary>
internal static partial class ParseErrors
{
    /// <summary>Prints the errors of <paramref name="result"/> as one line and returns <see cref="ExitCodes.UserError"/>.</summary>
    public static int Report(ParseResult result)
    {
        var command = result.CommandResult.Command;
        var path = CommandPath(result.CommandResult);
        var errors = result.Errors.Select(e => e.Message).ToList();
        if (errors.Any(e => UnrecognizedToken().IsMatch(e)))
            errors.RemoveAll(e => e.StartsWith(MissingCommand, StringComparison.Ordinal)); // the mistyped command says it better
        var messages = errors.Select(e => OneLine(Readable(e, path, command))).Distinct();
        Console.Error.WriteLine($"error: {string.Join(" ", messages)} See ./{path} --help.");
        return ExitCodes.UserError;
    }

    internal static string Readable(string message, string path, Command command)
    {
        var subcommands = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToList();
        if (message.StartsWith(MissingCommand, StringComparison.Ordinal))
            return $"'{path}' needs a command: {string.Join(", ", subcommands)}.";
        if (message.StartsWith("Required argument missing", StringComparison.Ordinal))
            return $"'{path}' needs {string.Join(" ", command.Arguments.Select(a => a.Name.ToUpperInvariant()))}.";
        if (UnrecognizedToken().Match(message) is { Success: true } unrecognized)
        {
            var token = unrecognized.Groups["token"].Value;
            return token.StartsWith('-')
                ? $"'{path}' has no option '{token}'."
                : subcommands.Count > 0
                    ? $"'{path}' has no command or argument '{token}' (commands: {string.Join(", ", subcommands)})."
                    : $"'{path}' takes no argument '{token}' here.";
        }

        if (CannotParse().Match(message) is { Success: true } cannotParse)
            return $"'{cannotParse.Groups["value"].Value}' is not a valid {cannotParse.Groups["name"].Value}: expected {TypeWords(cannotParse.Groups["type"].Value)}.";
        return message;
    }

    private const string MissingCommand = "Required command was not provided";

    private static string OneLine(string message)
    {
        var line = LineBreaks().Replace(message, " ").Trim();
        return line.EndsWith('.') ? line : line + ".";
    }

    private static string TypeWords(string dotnetType) => NullableOf().Replace(dotnetType, "${inner}") switch
    {
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Double" or "System.Single" or "System.Decimal" => "a number such as 0.5",
        "System.Boolean" => "true or false",
        "System.TimeSpan" => "a duration such as 00:10:00",
        "System.DateTime" or "System.DateTimeOffset" => "a date such as 2026-12-01",
        _ => "a value of another form",
    };

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? current = result; current is not null; current = current.Parent)
        {
            if (current is CommandResult { Command: var command })
                names.Add(command is RootCommand ? "anvil" : command.Name);
        }

        names.Reverse();
        return string.Join(" ", names);
    }

    [GeneratedRegex(@"\s*\n\s*")]
    private static partial Regex LineBreaks();

    [GeneratedRegex(@"^System\.Nullable`1\[(?<inner>[^\]]+)\]$")]
    private static partial Regex NullableOf();

    [GeneratedRegex(@"^Unrecognized command or argument '(?<token>.*)'\.?$")]
    private static partial Regex UnrecognizedToken();

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|argument) '(?<name>[^']*)' as expected type '(?<type>[^']*)'\.?$")]
    private static partial Regex CannotParse();
}
