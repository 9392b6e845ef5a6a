using System.CommandLine;
using Anvil.Registry;

namespace Anvil.Cli.Commands;

/// <summary>`anvil feedback list --org ORG [--model M] [--label L] [--limit N] [--cursor C] [--json]`: feedback read back, newest first.</summary>
internal static class FeedbackCommand
{
    public static Command Create(Registries registries)
    {
        var org = new Option<string>("--org") { Description = "Organization.", Required = true };
        var model = new Option<string?>("--model") { Description = "Only feedback on this model's predictions." };
        var label = new Option<string?>("--label") { Description = "Only feedback naming this class." };
        var limit = new Option<int>("--limit") { Description = $"Items per page (1 to {FeedbackPages.MaxLimit}).", DefaultValueFactory = _ => 50 };
        var cursor = new Option<string?>("--cursor") { Description = "next_cursor of the previous page." };
        var json = new Option<bool>("--json") { Description = "Print the page as one JSON object." };
        var list = new Command("list", "List feedback, newest first: the correct label given and what the model had predicted.") { org, model, label, limit, cursor, json };
        list.SetAction(p => CommandRunner.Run(p, _ =>
        {
            var organization = registries.Organizations.Get(p.GetValue(org)!);
            if (p.GetValue(model) is { } name && registries.Catalog.Find(organization.Id, name) is null)
                throw new RegistryException($"Organization '{organization.Name}' has no model '{name}'. ./anvil models list --org {organization.Name} lists them.");
            var page = new FeedbackPages(registries.Database).Read(organization.Id, p.GetValue(model), p.GetValue(label), p.GetValue(cursor), p.GetValue(limit));
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonOutput.Serialize(new
                {
                    items = page.Items.Select(i => new
                    {
                        prediction_id = i.Feedback.PredictionId,
                        model = i.ModelName,
                        version = i.ModelVersion,
                        predicted = i.PredictedLabelName,
                        label = i.Feedback.LabelName,
                        label_index = i.Feedback.Label,
                        comment = i.Feedback.Comment,
                        created_at = i.Feedback.CreatedAt,
                    }),
                    next_cursor = page.NextCursor,
                }));
                return ExitCodes.Success;
            }
            foreach (var i in page.Items)
                Console.WriteLine($"{i.Feedback.CreatedAt:u}  {i.Feedback.PredictionId}  {i.ModelName} v{i.ModelVersion}  predicted {i.PredictedLabelName} → {i.Feedback.LabelName}{(i.Feedback.Comment is null ? "" : $"  \"{i.Feedback.Comment}\"")}");
            Console.WriteLine(page.Items.Count == 0 ? "No feedback." : page.NextCursor is null ? $"{page.Items.Count} items; no more." : $"{page.Items.Count} items; next page: --cursor {page.NextCursor}");
            return ExitCodes.Success;
        }));
        return new Command("feedback", "Feedback clients sent on predictions.") { list };
    }
}
