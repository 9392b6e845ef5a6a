namespace Anvil.Training.Tests.Support;

/// <summary>Paths of the committed test data, copied next to the test assembly.</summary>
internal static class TestFiles
{
    public static string Root { get; } = Path.Combine(AppContext.BaseDirectory, "TestData");

    /// <summary>The first 512 Fashion-MNIST t10k images and labels (gzipped IDX).</summary>
    public static string FashionMnistSample { get; } = Path.Combine(Root, "fashion-mnist-sample");

    public static string SampleImages { get; } = Path.Combine(FashionMnistSample, "t10k-images-idx3-ubyte.gz");

    public static string SampleLabels { get; } = Path.Combine(FashionMnistSample, "t10k-labels-idx1-ubyte.gz");

    /// <summary>Label counts of the sample, classes 0..9 (computed independently with Python).</summary>
    public static long[] SampleLabelHistogram { get; } = [56, 53, 71, 46, 58, 40, 47, 48, 45, 48];

    public static string Csv(string name) => Path.Combine(Root, "csv", name);
}
