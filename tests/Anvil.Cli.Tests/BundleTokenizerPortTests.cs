using System.Text.Json;
using Anvil.Cli.Bundles;
using Anvil.Cli.Tests.Support;
using Anvil.Preprocessing.Text;

namespace Anvil.Cli.Tests;

/// <summary>
/// The JavaScript and Python bundle snippets carry ports of the server's tokenizer (Microsoft.ML.Tokenizers' BERT
/// normalizer, pre-tokenizer and WordPiece as <see cref="TextTokenizer"/> configures it). Their token ids must equal
/// the server's on real e-mails and on texts made to hit its quirks; the Python one runs here on its own, since the
/// rest of its snippet needs numpy and onnxruntime, which cannot be installed on these machines.
/// </summary>
public class BundleTokenizerPortTests
{
    private static readonly string[] Tricky =
    [
        "tabs\tand\nnew\r\nlines join words", "中文字符 mixed with english", "[UNK] and [PAD] literally, İstanbul ΣΊΣΥΦΟΣ",
        "Ünïcödé café naïve — “quotes” 🎉", "ǅemal ǲ Ⅻ ﬁne ＡＢＣ", new string('x', 101), "e\u0301cole A\u030A",
        "\u2028line\u2029para\u00a0nbsp\u200bzw", "\ud83d\ude00emoji\U0001D400math", "under_score 3.14 $100 <b>bold</b>",
    ];

    /// <summary>Runs the tokenizer of js/predict.mjs, cut out of the snippet, on texts.json with vocab.txt: ids per text.</summary>
    private const string JavaScript = """
        import { createHash } from "node:crypto";
        import { readFileSync } from "node:fs";
        const source = readFileSync("predict.mjs", "utf8");
        const start = source.indexOf("const tokenizer = (() => {");
        const body = source.slice(start, source.indexOf("})();", start) + 5);
        const vocabulary = readFileSync("vocab.txt");
        const preprocessing = { tokenizer: { vocabulary: "vocab.txt", lowercase: process.argv[1] === "lower", max_length: 64 } };
        const manifest = { files: { "vocab.txt": "sha256:" + createHash("sha256").update(vocabulary).digest("hex") } };
        const fail = (message) => { throw new Error(message); };
        const tokenizer = new Function("preprocessing", "manifest", "read", "createHash", "fail", body + "\nreturn tokenizer;")(preprocessing, manifest, () => vocabulary, createHash, fail);
        console.log(JSON.stringify(JSON.parse(readFileSync("texts.json", "utf8")).map(tokenizer)));
        """;

    /// <summary>The same for python/predict.py: its tokenizer's lines, run with the names they read.</summary>
    private const string Python = """
        import hashlib, json, sys, unicodedata
        source = open("predict.py", encoding="utf-8").read()
        body = source[source.index('settings = preprocessing.get("tokenizer")'):source.index("def text(value, index):")]
        vocabulary = open("vocab.txt", "rb").read()
        scope = {"preprocessing": {"tokenizer": {"vocabulary": "vocab.txt", "lowercase": sys.argv[1] == "lower", "max_length": 64}},
                 "manifest": {"files": {"vocab.txt": "sha256:" + hashlib.sha256(vocabulary).hexdigest()}},
                 "read": lambda name: vocabulary, "hashlib": hashlib, "sys": sys, "unicodedata": unicodedata}
        exec(body, scope)
        print(json.dumps([scope["tokens"](text) for text in json.load(open("texts.json", encoding="utf-8"))]))
        """;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheJavaScriptAndPythonTokenizersGiveTheServersIds(bool lowercase)
    {
        using var anvil = new AnvilProcess();
        var texts = Directory.GetFiles(AnvilProcess.SpamSample, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement.GetProperty("text").GetString()!)
            .Concat(Tricky).ToArray();
        var options = new TextTokenizerOptions(MaxLength: TextTokenizerOptions.LongestMaxLength, Lowercase: lowercase, MinCount: 2);
        var vocabulary = TextVocabulary.Fit(texts, options);
        var server = new TextTokenizer(vocabulary, options);
        var expected = texts.Select(text => server.Encode(text).Ids.ToArray()).ToArray();
        Assert.Contains(expected, ids => ids.Contains(TextVocabulary.UnknownId)); // unknown words occur, and known ones
        Assert.Contains(expected, ids => ids.Any(id => id > TextVocabulary.UnknownId));

        var folder = Directory.CreateDirectory(Path.Combine(anvil.Home, "ports")).FullName;
        vocabulary.Save(Path.Combine(folder, "vocab.txt"));
        File.WriteAllText(Path.Combine(folder, "texts.json"), JsonSerializer.Serialize(texts));
        foreach (var (path, content) in BundleSnippets.Files().Where(f => f.Path is "js/predict.mjs" or "python/predict.py"))
            File.WriteAllText(Path.Combine(folder, Path.GetFileName(path)), content);
        var mode = lowercase ? "lower" : "cased";
        var runs = new[]
        {
            ("JavaScript", await AnvilProcess.RunProgram(folder, null, "node", "--input-type=module", "-e", JavaScript, mode)),
            ("Python", await AnvilProcess.RunProgram(folder, null, "python3", "-c", Python, mode)),
        };
        foreach (var (port, (exitCode, output)) in runs)
        {
            Assert.True(exitCode == 0, output);
            var ids = JsonSerializer.Deserialize<int[][]>(output)!;
            Assert.Equal(texts.Length, ids.Length);
            for (var i = 0; i < texts.Length; i++)
                Assert.True(expected[i].SequenceEqual(ids[i]), $"{port}, text {i} ({texts[i][..Math.Min(40, texts[i].Length)]}…): server [{string.Join(", ", expected[i].Take(20))}…], port [{string.Join(", ", ids[i].Take(20))}…]");
        }
    }
}
