using System.Text;
using Anvil.Registry.Encryption;
using Anvil.Registry.Predictions;
using Anvil.Registry.Usage;

namespace Anvil.Registry.Tests.Conformance;

/// <summary>Logged inputs, probabilities, feedback comments and stored answers are sealed at rest and read back as plaintext.</summary>
public abstract class EncryptionTests(RegistryBackend backend) : RegistryConformanceTest(backend)
{
    private const string Comment = "zebra-quartz-7741 is a coat";

    [Fact]
    public void SealedValuesReadBackAsPlaintextAndNoneIsStoredInTheClear()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var request = Request(acme, "r1", 2, response: "{\"answer\":\"zebra-quartz-7741\"}");
        Ledger.Record([request]);
        Feedback.Add(acme.Organization.Id, request.Predictions[0].Id, 4, "coat", Comment);

        var (feedback, prediction) = Assert.Single(Feedback.List(acme.Organization.Id));
        Assert.Equal(Comment, feedback.Comment);
        Assert.Equal(request.Predictions[0].Input, prediction.Input);
        Assert.Equal(request.Predictions[0].Probabilities, prediction.Probabilities);
        Assert.Equal(Comment, Assert.Single(new FeedbackPages(Db).Read(acme.Organization.Id, null, null, null, 10).Items).Feedback.Comment);
        Assert.Equal(Comment, new LoggedInputs(Db, Clock).Labelled(acme.Organization.Id, "cnn")[0].Feedback!.Comment);
        Assert.Equal(request.ResponseJson, Assert.Single(Ledger.Record([request])).ResponseJson); // the replayed answer, opened
        var values = string.Join("\n", DumpAllValues(Db));
        Assert.DoesNotContain("zebra-quartz-7741", values, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(request.Predictions[0].Input), values, StringComparison.Ordinal);
        Assert.DoesNotContain("0.875", values, StringComparison.Ordinal); // the probabilities' JSON
    }

    [Fact]
    public void AChangedByteInAStoredInputIsRefused()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var request = Request(acme, "r1", 1);
        Ledger.Record([request]);
        Feedback.Add(acme.Organization.Id, request.Predictions[0].Id, 4, "coat", Comment);
        var stored = Db.Read(session => (byte[])session.Scalar("SELECT input FROM predictions WHERE id = @id", ("@id", request.Predictions[0].Id))!);
        stored[^20] ^= 0x01;
        Db.Write(session => session.Execute("UPDATE predictions SET input = @input WHERE id = @id", ("@input", stored), ("@id", request.Predictions[0].Id)));

        var error = Assert.Throws<RegistryException>(() => Feedback.List(acme.Organization.Id));

        Assert.Contains($"predictions.input/{request.Predictions[0].Id} was refused", error.Message, StringComparison.Ordinal);
        Assert.Contains("authentication tag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACommentMovedToAnotherRowIsRefused()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var request = Request(acme, "r1", 2);
        Ledger.Record([request]);
        Feedback.Add(acme.Organization.Id, request.Predictions[0].Id, 4, "coat", Comment);
        Feedback.Add(acme.Organization.Id, request.Predictions[1].Id, 4, "coat", "another comment");
        Db.Write(session => session.Execute(
            "UPDATE feedback SET comment = (SELECT comment FROM feedback WHERE prediction_id = @from) WHERE prediction_id = @to",
            ("@from", request.Predictions[0].Id), ("@to", request.Predictions[1].Id)));

        var error = Assert.Throws<RegistryException>(() => new FeedbackPages(Db).Read(acme.Organization.Id, null, null, null, 10));

        Assert.Contains($"feedback.comment/{request.Predictions[1].Id} was refused", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongKeyEncryptionKeyIsRefusedAndChangesNothing()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var beta = NewCustomer("beta", Plans.Get("pro"));
        var request = Request(acme, "r1", 1);
        Ledger.Record([request]);
        Feedback.Add(acme.Organization.Id, request.Predictions[0].Id, 4, "coat", Comment);
        var before = DumpAllValues(Db);
        var wrong = new KeyEncryptionKey(new byte[KeyEncryptionKey.Size]);
        var replica = Backend.OpenReplica(Clock, wrong);

        var read = Assert.Throws<RegistryException>(() => new FeedbackStore(replica, Clock).List(acme.Organization.Id).Count);
        var newKey = Assert.Throws<RegistryException>(() => new UsageLedger(replica, Clock).Record([Request(beta, "r2", 1)]));

        Assert.Throws<RegistryException>(() => new LoggedInputs(replica, Clock).Recent(acme.Organization.Id, "cnn", 10));
        Assert.Equal(
            $"The key-encryption key does not match the one the data keys were wrapped with (fingerprint {wrong.Fingerprint}, expected {Backend.Kek.Fingerprint}). " +
            $"Set ANVIL_KEK or ANVIL_KEK_FILE to the key of fingerprint {Backend.Kek.Fingerprint}; nothing was decrypted or changed.", newKey.Message);
        Assert.Contains("does not match", read.Message, StringComparison.Ordinal);
        Assert.Equal(before, DumpAllValues(Db));
    }

    [Fact]
    public void RotatingTheKekKeepsDataReadableAndRetiresTheOldKek()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var beta = NewCustomer("beta", Plans.Get("pro"));
        var a = Request(acme, "r1", 1);
        Ledger.Record([a, Request(beta, "r2", 1)]);
        Feedback.Add(acme.Organization.Id, a.Predictions[0].Id, 4, "coat", Comment);
        var next = KeyEncryptionKey.Generate();
        var rotated = Backend.OpenReplica(Clock, next);

        var wrongPrevious = Assert.Throws<RegistryException>(() => rotated.DataKeys.Rotate(KeyEncryptionKey.Generate()));
        var count = rotated.DataKeys.Rotate(Backend.Kek);

        Assert.Contains("Nothing was re-wrapped", wrongPrevious.Message, StringComparison.Ordinal);
        Assert.Equal(2, count);
        Assert.Equal(0, rotated.DataKeys.Rotate(Backend.Kek)); // already under the new KEK
        Assert.Equal(Comment, Assert.Single(new FeedbackStore(rotated, Clock).List(acme.Organization.Id)).Feedback.Comment);
        var stale = Assert.Throws<RegistryException>(() => Feedback.List(acme.Organization.Id)); // Db still has the old KEK
        Assert.Contains($"expected {next.Fingerprint}", stale.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADestroyedDataKeyMakesOnlyThatOrganizationsDataUnreadable()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var beta = NewCustomer("beta", Plans.Get("pro"));
        var a = Request(acme, "r1", 1);
        var b = Request(beta, "r2", 1);
        Ledger.Record([a, b]);
        Feedback.Add(acme.Organization.Id, a.Predictions[0].Id, 4, "coat", Comment);
        Feedback.Add(beta.Organization.Id, b.Predictions[0].Id, 4, "coat", "beta's comment");
        var wrapped = Db.Read(session => (byte[])session.Scalar("SELECT wrapped FROM data_keys WHERE organization_id = @org", ("@org", acme.Organization.Id))!);

        Assert.Equal(1, Db.DataKeys.Destroy(acme.Organization.Id));

        var error = Assert.Throws<RegistryException>(() => Feedback.List(acme.Organization.Id));
        Assert.Contains("data key was destroyed", error.Message, StringComparison.Ordinal);
        Assert.Equal("beta's comment", Assert.Single(Feedback.List(beta.Organization.Id)).Feedback.Comment);
        Assert.DoesNotContain(Convert.ToHexString(wrapped), DumpAllValues(Db));
        if (Backend is SqliteBackend sqlite)
            Assert.False(FileHolds(sqlite.DatabasePath, wrapped), "the destroyed wrapped key is still in the database file or its log");
        Assert.Equal(0, Db.DataKeys.Destroy(acme.Organization.Id));
    }

    [Fact]
    public void RowsWrittenBeforeEncryptionAreReadAsTheyAre()
    {
        var acme = NewCustomer("acme", Plans.Get("pro"));
        var request = Request(acme, "r1", 1);
        Ledger.Record([request]);
        var plain = Encoding.UTF8.GetBytes("an old text input");
        Db.Write(session => session.Execute("UPDATE predictions SET input = @input, probabilities = '[0.25,0.75]' WHERE id = @id",
            ("@input", plain), ("@id", request.Predictions[0].Id)));
        Db.Write(session => session.Execute(
            "INSERT INTO feedback (prediction_id, organization_id, label, label_name, comment, created_at) VALUES (@id, @org, 1, 'one', 'an old comment', '2025-03-14T12:00:30.0000000Z')",
            ("@id", request.Predictions[0].Id), ("@org", acme.Organization.Id)));

        var (feedback, prediction) = Assert.Single(Feedback.List(acme.Organization.Id));

        Assert.Equal("an old comment", feedback.Comment);
        Assert.Equal(plain, prediction.Input);
        Assert.Equal([0.25f, 0.75f], prediction.Probabilities);
    }

    private static bool FileHolds(string databasePath, byte[] needle) =>
        new[] { databasePath, databasePath + "-wal" }.Where(File.Exists).Any(path => File.ReadAllBytes(path).AsSpan().IndexOf(needle) >= 0);
}

public sealed class SqliteEncryptionTests() : EncryptionTests(new SqliteBackend());

public sealed class PostgresEncryptionTests() : EncryptionTests(new PostgresBackend());
