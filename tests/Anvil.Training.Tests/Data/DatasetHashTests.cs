using Anvil.Training.Data;
using Anvil.Training.Tests.Support;

namespace Anvil.Training.Tests.Data;

public class DatasetHashTests
{
    [Fact]
    public void SameFilesGiveTheSameHashWhereverTheyLie()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();

        var hash = DatasetHash.OfFiles([("data", first.Write("a.csv", "x,y\n1,a\n"))]);

        Assert.Equal(hash, DatasetHash.OfFiles([("data", second.Write("other-name.csv", "x,y\n1,a\n"))]));
        Assert.Matches("^[0-9a-f]{64}$", hash);
    }

    [Fact]
    public void OneChangedByteChangesTheHash()
    {
        using var directory = new TempDirectory();
        var before = DatasetHash.OfFiles([("data", directory.Write("a.csv", "x,y\n1,a\n"))]);

        var after = DatasetHash.OfFiles([("data", directory.Write("a.csv", "x,y\n2,a\n"))]);

        Assert.NotEqual(before, after);
    }

    [Fact]
    public void FileNamesArePartOfTheHashButTheirOrderIsNot()
    {
        using var directory = new TempDirectory();
        var cat = directory.Write("cat/1.png", "one");
        var dog = directory.Write("dog/1.png", "two");

        var hash = DatasetHash.OfFiles([("data/cat/1.png", cat), ("data/dog/1.png", dog)]);

        Assert.Equal(hash, DatasetHash.OfFiles([("data/dog/1.png", dog), ("data/cat/1.png", cat)]));
        Assert.NotEqual(hash, DatasetHash.OfFiles([("data/dog/1.png", cat), ("data/cat/1.png", dog)]));
    }
}
