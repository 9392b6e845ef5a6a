using Anvil.Preprocessing.Text;
using Anvil.Training.Data.Text;

namespace Anvil.Training.Tests.Data.Text;

public sealed class BagOfWordsTests
{
    [Fact]
    public void CountsTheMostFrequentWordsAndIgnoresPaddingAndUnknown()
    {
        // ids: 0 pad, 1 unknown, 2 and 3 the two most frequent words, 4 a rarer one
        TextEncoding[] encodings = [new([2, 2, 3, 1, 4], false, 1), new([3], false, 0)];

        var features = BagOfWords.Features(encodings, words: 2);

        Assert.Equal([MathF.Log(3), MathF.Log(2), 0, MathF.Log(2)], features);
    }
}
