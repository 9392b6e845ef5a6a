using Anvil.Cli.Tests.Support;
using Anvil.Registry;
using Anvil.Registry.Encryption;
using Anvil.Registry.Models;
using Anvil.Registry.Predictions;
using Anvil.Registry.Storage;
using Anvil.Registry.Tenancy;
using Anvil.Registry.Usage;

namespace Anvil.Cli.Tests;

public sealed class KeyEncryptionKeyCommandTests : IDisposable
{
    private readonly AnvilProcess _anvil = new();

    [Fact]
    public void RotateKekRewrapsTheDataKeysAndTheOldKekNoLongerOpensThem()
    {
        Assert.Equal(0, _anvil.Run("orgs", "create", "acme").ExitCode);
        var predictionId = LogFeedback("zebra-quartz-7741");
        var old = _anvil.Kek;
        _anvil.Kek = KeyEncryptionKey.Generate();

        var missing = _anvil.Run("keys", "rotate-kek");
        _anvil.Variables["ANVIL_KEK_PREVIOUS"] = KeyEncryptionKey.Generate().ToBase64();
        var wrong = _anvil.Run("keys", "rotate-kek");
        _anvil.Variables["ANVIL_KEK_PREVIOUS"] = old.ToBase64();
        var rotated = _anvil.Run("keys", "rotate-kek");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("error: Name the previous key-encryption key: --from-file PATH, or ANVIL_KEK_PREVIOUS", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("Nothing was re-wrapped", wrong.Stderr, StringComparison.Ordinal);
        Assert.True(rotated.ExitCode == 0, rotated.Stderr);
        Assert.Equal($"Re-wrapped 1 data key from key-encryption key {old.Fingerprint} to {_anvil.Kek.Fingerprint}; the data was not re-encrypted. The previous key no longer opens anything.\n", rotated.Stdout);
        Assert.Equal("zebra-quartz-7741", Comments(_anvil.Kek).Single(c => c.PredictionId == predictionId).Comment);
        var stale = Assert.Throws<RegistryException>(() => Comments(old));
        Assert.Contains($"fingerprint {old.Fingerprint}, expected {_anvil.Kek.Fingerprint}", stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServeWithAWrongOrMissingKekStopsWithOneLineAndChangesNothing()
    {
        Assert.Equal(0, _anvil.Run("orgs", "create", "acme").ExitCode);
        LogFeedback("zebra-quartz-7741");
        var right = _anvil.Kek;
        var before = File.ReadAllBytes(Path.Combine(_anvil.Home, "registry.db"));
        _anvil.Kek = KeyEncryptionKey.Generate();

        var wrong = Serve();
        _anvil.Variables["ANVIL_KEK"] = "";
        _anvil.Variables["ANVIL_KEK_FILE"] = Path.Combine(_anvil.Home, "..", "no-such-kek");
        var missing = Serve();

        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal($"error: The key-encryption key does not match the one the data keys were wrapped with (fingerprint {_anvil.Kek.Fingerprint}, expected {right.Fingerprint}). " +
            $"Set ANVIL_KEK or ANVIL_KEK_FILE to the key of fingerprint {right.Fingerprint}; nothing was decrypted or changed.\n", wrong.Stderr);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("(ANVIL_KEK_FILE) does not exist", missing.Stderr, StringComparison.Ordinal);
        Assert.Single(missing.Stderr.Trim().Split('\n'));
        Assert.Equal("zebra-quartz-7741", Assert.Single(Comments(right)).Comment);
        Assert.Equal(before.Length, File.ReadAllBytes(Path.Combine(_anvil.Home, "registry.db")).Length);
    }

    public void Dispose() => _anvil.Dispose();

    // A refused start exits at once; a server that did start is stopped and fails the test.
    private (int ExitCode, string Stderr) Serve()
    {
        using var process = _anvil.Start("serve", "--urls", "http://127.0.0.1:5711");
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("anvil serve started with a wrong or missing key-encryption key");
        }

        return (process.ExitCode, stderr.Result);
    }

    private RegistryDatabase Open(KeyEncryptionKey kek) =>
        RegistryDatabase.Open(new RegistryOptions(Path.Combine(_anvil.Home, "registry.db")) { KeyEncryptionKey = () => kek }, TimeProvider.System);

    private string LogFeedback(string comment)
    {
        using var db = Open(_anvil.Kek);
        var org = new Organizations(db, TimeProvider.System).Get("acme");
        var plan = new Plans(db).Get("free");
        var key = new ApiKeys(db, TimeProvider.System).Create("acme", plan.Name).Key;
        var version = new ModelCatalog(db, TimeProvider.System).AddVersion(org.Id, "fashion", "/models/fashion", "sha256:m", null);
        var prediction = new PredictionRecord($"pred_{Guid.NewGuid():N}", "fashion", version.Version, [1, 2, 3, 4], "1", 0, "zero", [1f]);
        new UsageLedger(db, TimeProvider.System).Record([new UsageRequest(key, plan, prediction.Id, prediction.Id, version.ModelId, "fashion", version.Version, [prediction], "{}")]);
        Assert.NotNull(new FeedbackStore(db, TimeProvider.System).Add(org.Id, prediction.Id, 0, "zero", comment, key.Id));
        return prediction.Id;
    }

    private List<Feedback> Comments(KeyEncryptionKey kek)
    {
        using var db = Open(kek);
        var org = new Organizations(db, TimeProvider.System).Get("acme");
        return [.. new FeedbackStore(db, TimeProvider.System).List(org.Id).Select(f => f.Feedback)];
    }
}
