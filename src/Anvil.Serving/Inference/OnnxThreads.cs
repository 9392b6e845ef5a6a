using Microsoft.ML.OnnxRuntime;

namespace Anvil.Serving.Inference;

/// <summary>
/// One set of ONNX Runtime worker threads for the whole process. Without it every session starts its
/// own intra-op pool, so a server with many loaded versions holds versions × threads threads that all
/// compete for the same cores. The first session sizes the shared pool; later sizes are ignored.
/// </summary>
internal static class OnnxThreads
{
    private static readonly Lock Gate = new();
    private static bool _shared;

    /// <summary>
    /// Session options on the process-wide pool, creating it with <paramref name="threads"/> intra-op
    /// threads on first use. When something else created ONNX Runtime's environment first (without
    /// global pools), the session gets a pool of its own. Options must come from here: creating any
    /// options creates the environment, after which its pools can no longer be chosen.
    /// </summary>
    public static SessionOptions NewSessionOptions(int threads)
    {
        lock (Gate)
        {
            if (!_shared && !OrtEnv.IsCreated)
            {
                using var threading = new OrtThreadingOptions
                {
                    GlobalIntraOpNumThreads = threads,
                    GlobalInterOpNumThreads = 1,
                    GlobalSpinControl = false, // spinning workers would burn the cores Kestrel and the ledger need between batches
                };
                var environment = new EnvironmentCreationOptions { logId = "anvil", logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, threadOptions = threading };
                OrtEnv.CreateInstanceWithOptions(ref environment);
                _shared = true;
            }

            var options = new SessionOptions();
            if (_shared)
                options.DisablePerSessionThreads();
            else
                options.IntraOpNumThreads = threads;
            return options;
        }
    }
}
