using Anvil.Training.Data;
using Anvil.Training.Tests.Support;

namespace Anvil.Training.Tests.Data;

public class FashionMnistTests
{
    [Fact]
    public void MissingDataSetExplainsWhereItLookedAndHowToInstallIt()
    {
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Locate(["/nonexistent/anvil-fashion"]));

        Assert.Contains("'/nonexistent/anvil-fashion'", error.Message);
        Assert.Contains("sudo apt-get install dataset-fashion-mnist", error.Message);
        Assert.Contains("--data-dir", error.Message);
        Assert.Contains(FashionMnist.EnvironmentVariable, error.Message);
    }

    [Fact]
    public void LoadReadsTrainAndTestFromTheGivenDirectoryFirst()
    {
        using var directory = new TempDirectory();
        foreach (var split in new[] { "train", "t10k" })
        {
            File.Copy(TestFiles.SampleImages, Path.Combine(directory.Path, $"{split}-images-idx3-ubyte.gz"));
            File.Copy(TestFiles.SampleLabels, Path.Combine(directory.Path, $"{split}-labels-idx1-ubyte.gz"));
        }

        var (train, test) = FashionMnist.Load(directory.Path);
        using (train)
        using (test)
        {
            Assert.Equal(512, train.Count);
            Assert.Equal(512, test.Count);
            Assert.Equal(new long[] { 1, 28, 28 }, test.SampleShape);
            Assert.Equal("Ankle boot", test.ClassNames[9]);
        }
    }

    [Fact]
    public void WithoutAGivenDirectoryTheDebianPackageDirectoryIsSearchedLast()
    {
        var candidates = FashionMnist.CandidateDirectories();

        Assert.Equal("/usr/share/datasets/fashion-mnist", candidates[^1]);
    }

    [Fact]
    public void GivenDirectoryIsTheOnlyOneSearchedSoAWrongPathIsAnError()
    {
        Assert.Equal(["/my/data"], FashionMnist.CandidateDirectories("/my/data"));
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load("/nonexistent/fashion"));
        Assert.Contains("'/nonexistent/fashion'", error.Message);
        Assert.DoesNotContain("/usr/share/datasets", error.Message.Split("Looked for")[1].Split("To get it")[0]);
    }

    [Fact]
    public void ClassNamesAreTheTenOfficialOnes()
    {
        Assert.Equal(
            ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"],
            FashionMnist.ClassNames);
    }
}
