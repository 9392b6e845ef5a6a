using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Anvil.Preprocessing.Text;
using static Anvil.Serving.Inputs.JsonInputs;

namespace Anvil.Serving.Inputs;

/// <summary>
/// Reads <c>{"inputs": ["text", ...]}</c> for a text model and tokenizes each text with the version's own
/// <see cref="TextTokenizer"/> — the type training encodes with — into max_length int64 ids padded with 0.
/// The texts travel on for the prediction log; which were truncated travels on for the answer.
/// </summary>
public static class TextInputReader
{
    public static ModelInput Read(ReadOnlySpan<byte> body, TextTokenizer tokenizer, int maxInputs)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (!Utf8.IsValid(body))
        {
            var offset = FirstInvalidByte(body);
            throw Bad($"The body is not valid UTF-8: byte {offset:N0} (0x{body[offset]:X2}) begins no UTF-8 character. Send the texts encoded as UTF-8.");
        }

        var texts = new List<string>();
        JsonInputs.Read(body, maxInputs, "text", (ref Utf8JsonReader reader, int index) => texts.Add(ReadText(ref reader, index)));
        var length = tokenizer.Options.MaxLength;
        var ids = new long[checked(texts.Count * length)];
        var truncated = new bool[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var encoding = Encode(tokenizer, texts[i], i);
            tokenizer.Pad(encoding, ids.AsSpan(i * length, length));
            truncated[i] = encoding.Truncated;
        }

        return new ModelInput(ids, texts.Count, length) { Texts = texts, Truncated = truncated };
    }

    private static string ReadText(ref Utf8JsonReader reader, int index)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw Bad($"inputs[{index}] is {Describe(reader.TokenType)}; this model takes texts: send {{\"inputs\": [\"text\", ...]}}.");
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            // an escaped lone surrogate ("\ud800"): no Unicode text, and nothing UTF-8 could log
            throw Bad($"inputs[{index}] holds an unpaired UTF-16 surrogate escape (\\ud800 to \\udfff without its partner); send valid Unicode text.");
        }
    }

    private static TextEncoding Encode(TextTokenizer tokenizer, string text, int index)
    {
        TextEncoding encoding;
        try
        {
            encoding = tokenizer.Encode(text);
        }
        catch (ArgumentException e)
        {
            throw Bad($"inputs[{index}]: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}");
        }

        if (encoding.Ids.Count == 0)
            throw new InputException(422, $"inputs[{index}] holds no words, only control or formatting characters; send text with at least one word.");
        if (encoding.NothingKnown)
            throw new InputException(422, $"inputs[{index}]: none of its {encoding.Ids.Count:N0} tokens is in the model's vocabulary of {tokenizer.Vocabulary.Count - 2:N0} words, so the model could not read it; send text in the language and domain the model was trained on.");
        return encoding;
    }

    private static int FirstInvalidByte(ReadOnlySpan<byte> body)
    {
        var offset = 0;
        while (Rune.DecodeFromUtf8(body[offset..], out _, out var consumed) == OperationStatus.Done)
            offset += consumed;
        return offset;
    }
}
