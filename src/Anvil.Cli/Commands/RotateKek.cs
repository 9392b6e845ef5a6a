using System.CommandLine;
using Anvil.Registry.Encryption;

namespace Anvil.Cli.Commands;

/// <summary>
/// `anvil keys rotate-kek`: re-wraps every organization's data key from the previous key-encryption key to the current
/// one (ANVIL_KEK / ANVIL_KEK_FILE) in one transaction. The data is not re-encrypted; a wrong previous key changes nothing.
/// </summary>
internal static class RotateKek
{
    public const string PreviousVariable = "ANVIL_KEK_PREVIOUS";

    public static Command Create(Registries registries, Option<bool> json)
    {
        var fromFile = new Option<string?>("--from-file") { Description = $"A 0600 file (outside the Anvil home) holding the previous key-encryption key in base64; default: the {PreviousVariable} variable." };
        var command = new Command("rotate-kek", "Re-wrap every data key from the previous key-encryption key to the current one (ANVIL_KEK or ANVIL_KEK_FILE).") { fromFile };
        command.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var previous = Previous(p.GetValue(fromFile), registries.Home.Directory);
            var current = KeyEncryptionKeySource.Resolve();
            var count = registries.Database.DataKeys.Rotate(previous);
            if (p.GetValue(json))
                Console.WriteLine(JsonOutput.Serialize(new { rewrapped = count, from = previous.Fingerprint, to = current.Fingerprint }));
            else
                Console.WriteLine($"Re-wrapped {count} data key{(count == 1 ? "" : "s")} from key-encryption key {previous.Fingerprint} to {current.Fingerprint}; the data was not re-encrypted. The previous key no longer opens anything.");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static KeyEncryptionKey Previous(string? file, string home)
    {
        if (file is not null)
            return KeyEncryptionKeySource.Read(file, home, "--from-file");
        var text = Environment.GetEnvironmentVariable(PreviousVariable);
        if (string.IsNullOrWhiteSpace(text))
            throw new ArgumentException($"Name the previous key-encryption key: --from-file PATH, or {PreviousVariable} (its base64). The current one comes from ANVIL_KEK or ANVIL_KEK_FILE.");
        return KeyEncryptionKey.FromBase64(text, PreviousVariable);
    }
}
