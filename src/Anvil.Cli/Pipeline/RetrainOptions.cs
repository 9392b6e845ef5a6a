namespace Anvil.Cli.Pipeline;

/// <summary>What `anvil retrain` was asked: the model, the feedback split, the gate's tolerance and whether to promote.</summary>
internal sealed record RetrainOptions(string OrganizationId, string Model, double HeldOut, int Seed, double TolerancePoints, bool Promote, int Shadow);
