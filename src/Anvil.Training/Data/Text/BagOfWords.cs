using Anvil.Preprocessing.Text;

namespace Anvil.Training.Data.Text;

/// <summary>
/// Bag-of-words features for the linear baseline a text model must beat: per text, log(1 + count) of each of the
/// <c>words</c> most frequent vocabulary words (vocabulary ids are ordered by frequency, so these are ids 2 to
/// words + 1); word order, padding and unknown words are ignored.
/// </summary>
public static class BagOfWords
{
    /// <summary>Features (N × <paramref name="words"/>), row-major.</summary>
    public static float[] Features(IReadOnlyList<TextEncoding> encodings, int words)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        ArgumentOutOfRangeException.ThrowIfLessThan(words, 1);
        var features = new float[checked(encodings.Count * words)];
        for (var n = 0; n < encodings.Count; n++)
        {
            var row = features.AsSpan(n * words, words);
            foreach (var id in encodings[n].Ids)
            {
                var column = id - (TextVocabulary.UnknownId + 1);
                if (column >= 0 && column < words)
                    row[column]++;
            }

            foreach (ref var value in row)
                value = MathF.Log(1 + value);
        }

        return features;
    }
}
