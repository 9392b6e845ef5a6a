// TorchSharp's default random generator (manual_seed, weight initialisation) is process-wide, so
// tests that build models from a seed would race if test classes ran in parallel.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
