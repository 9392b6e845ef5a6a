using System.CommandLine;
using Anvil.Training.Data;
using Anvil.Training.Training;

namespace Anvil.Cli.Commands;

/// <summary>The options that choose a run's data, shared by train and cv.</summary>
internal sealed class DataOptions
{
    public Option<string?> Data { get; } = new("--data")
    {
        Description = "fashion-mnist (built in), spam-assassin (the SpamAssassin e-mail corpus, see samples/spam), a .csv file (numeric features and a label column, or a time series when the recipe has \"series\") or an image folder (one sub-folder per class); default: the recipe's \"data\", else fashion-mnist.",
    };
    public Option<string?> DataDir { get; } = new("--data-dir") { Description = "Directory holding the Fashion-MNIST .gz files (default: $ANVIL_FASHION_MNIST, then /usr/share/datasets/fashion-mnist), or for spam-assassin the corpus folder (default: $ANVIL_SPAM_ASSASSIN, then data/spam-assassin)." };
    public Option<string?> Test { get; } = new("--test") { Description = "A separate test set (CSV file or image folder); without it 20% of --data is held out." };
    public Option<string?> LabelColumn { get; } = new("--label-column") { Description = "CSV column holding the class label." };
    public Option<int?> Limit { get; } = new("--limit") { Description = "Use only the first N samples of the training and test sets (a fast dev run)." };

    public void AddTo(Command command)
    {
        command.Options.Add(Data);
        command.Options.Add(DataDir);
        command.Options.Add(Test);
        command.Options.Add(LabelColumn);
        command.Options.Add(Limit);
    }

    /// <summary>The data named by --data, else by the recipe, else Fashion-MNIST.</summary>
    public DataSource Read(ParseResult p, Recipe recipe) =>
        new(p.GetValue(Data) ?? recipe.Data ?? DataSource.FashionMnistName, p.GetValue(DataDir), p.GetValue(Test), p.GetValue(LabelColumn));
}
