namespace Anvil.Cli;

/// <summary>Every exit code the command returns.</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The user's input was wrong: a missing file, a bad option, an invalid spec.</summary>
    public const int UserError = 1;
    /// <summary>Training diverged (loss became NaN or infinite).</summary>
    public const int Diverged = 3;
    /// <summary>retrain --promote: the promotion gate refused the challenger (it stays registered under 'challenger').</summary>
    public const int PromotionRefused = 4;
    /// <summary>An unexpected failure: a bug. Run with --verbose for the stack trace.</summary>
    public const int InternalError = 70;
    /// <summary>Interrupted by Ctrl-C; the run can be resumed.</summary>
    public const int Interrupted = 130;
}
