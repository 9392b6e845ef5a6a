using Anvil.Training.Data;
using Anvil.Training.Tests.Support;
using SkiaSharp;

namespace Anvil.Training.Tests.Data;

public class ImageFolderReaderTests
{
    [Fact]
    public void SubfolderNamesBecomeClassesAndImagesBecomeNchwInUnitRange()
    {
        using var directory = new TempDirectory();
        TestImages.WriteCatsAndDogs(directory);

        using var data = ImageFolderReader.Read(directory.Path, new ImageFolderOptions { Width = 8, Height = 6 });

        Assert.Equal(new long[] { 4, 3, 6, 8 }, data.Features.shape);
        Assert.Equal(["cat", "dog"], data.ClassNames);
        Assert.Equal(new long[] { 0, 0, 1, 1 }, data.Labels.data<long>().ToArray());
        Assert.Equal(new[] { 1f, 0f, 0f }, data.Features[0, .., 0, 0].data<float>().ToArray()); // red cat
        Assert.Equal(new[] { 0f, 0f, 1f }, data.Features[3, .., 5, 7].data<float>().ToArray()); // blue dog
    }

    [Fact]
    public void GrayscaleGivesOneChannelOfLuma()
    {
        using var directory = new TempDirectory();
        TestImages.WriteCatsAndDogs(directory);

        using var data = ImageFolderReader.Read(directory.Path, new ImageFolderOptions { Channels = ImageChannels.Grayscale });

        Assert.Equal(new long[] { 4, 1, 6, 8 }, data.Features.shape);
        Assert.Equal(0.299f, data.Features[0, 0, 0, 0].item<float>(), 1e-6f);
        Assert.Equal(0.114f, data.Features[2, 0, 0, 0].item<float>(), 1e-6f);
    }

    [Fact]
    public void ImageOfTheWrongSizeIsRejectedNamingFileAndBothSizes()
    {
        using var directory = new TempDirectory();
        TestImages.WriteCatsAndDogs(directory);
        var odd = directory.Write("dog/3.png", TestImages.Png(5, 5, SKColors.Blue));

        var error = Assert.Throws<InvalidDataException>(() =>
            ImageFolderReader.Read(directory.Path, new ImageFolderOptions { Width = 8, Height = 6 }));

        Assert.Contains(odd, error.Message);
        Assert.Contains("is 5×5 pixels but 8×6", error.Message);
        Assert.Contains("--resize 8x6", error.Message);
    }

    [Fact]
    public void ResizeOptionResizesImagesOfAnotherSize()
    {
        using var directory = new TempDirectory();
        TestImages.WriteCatsAndDogs(directory);
        directory.Write("dog/3.png", TestImages.Png(16, 12, SKColors.Blue));

        using var data = ImageFolderReader.Read(directory.Path, new ImageFolderOptions { Width = 4, Height = 3, Resize = true });

        Assert.Equal(new long[] { 5, 3, 3, 4 }, data.Features.shape);
        Assert.Equal(1f, data.Features[4, 2].min().item<float>(), 1e-6f); // still solid blue
    }

    [Fact]
    public void FileThatIsNotAnImageIsRejectedWithItsPath()
    {
        using var directory = new TempDirectory();
        TestImages.WriteCatsAndDogs(directory);
        var notes = directory.Write("cat/notes.png", "this is text, not a PNG");

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderReader.Read(directory.Path));

        Assert.Contains(notes, error.Message);
        Assert.Contains("is not a PNG or JPEG image", error.Message);
    }

    [Fact]
    public void ImageOverThePixelLimitIsRejectedBeforeDecoding()
    {
        using var directory = new TempDirectory();
        TestImages.WriteCatsAndDogs(directory);

        var error = Assert.Throws<InvalidDataException>(() =>
            ImageFolderReader.Read(directory.Path, new ImageFolderOptions { MaxPixels = 40 }));

        Assert.Contains("8×6 = 48 pixels, more than the 40-pixel limit", error.Message);
    }

    [Fact]
    public void FolderWithOneClassIsRejected()
    {
        using var directory = new TempDirectory();
        directory.Write("cat/1.png", TestImages.Png(2, 2, SKColors.Red));

        var error = Assert.Throws<InvalidDataException>(() => ImageFolderReader.Read(directory.Path));

        Assert.Contains("at least 2 classes", error.Message);
    }
}

public class ImageFolderReaderChannelTests
{
    [Fact]
    public void GreyFolderStaysOneChannelWhenTheDataChooses()
    {
        using var directory = new TempDirectory();
        directory.Write("light/1.png", TestImages.Png(4, 4, new SKColor(200, 200, 200)));
        directory.Write("dark/1.png", TestImages.Png(4, 4, new SKColor(51, 51, 51)));

        using var data = ImageFolderReader.Read(directory.Path, new ImageFolderOptions { Channels = null });

        Assert.Equal(new long[] { 2, 1, 4, 4 }, data.Features.shape);
        Assert.Equal(51 / 255f, data.Features[0, 0, 0, 0].item<float>(), 1e-6f);
    }

    [Fact]
    public void ColourFolderKeepsThreeChannelsWhenTheDataChooses()
    {
        using var directory = new TempDirectory();
        TestImages.WriteCatsAndDogs(directory);

        using var data = ImageFolderReader.Read(directory.Path, new ImageFolderOptions { Channels = null });

        Assert.Equal(new long[] { 4, 3, 6, 8 }, data.Features.shape);
    }

    [Fact]
    public void StrayFileIsSkippedWithAWarningWhenWarningsAreHeard()
    {
        using var directory = new TempDirectory();
        TestImages.WriteCatsAndDogs(directory);
        var notes = directory.Write("cat/notes.txt", "not an image");
        var warnings = new List<string>();

        using var data = ImageFolderReader.Read(directory.Path, new ImageFolderOptions { OnSkippedFile = warnings.Add });

        Assert.Equal(4, data.Count);
        Assert.Equal($"warning: skipped '{notes}': not a PNG or JPEG image.", Assert.Single(warnings));
    }
}
