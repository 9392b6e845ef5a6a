// Test models are built from a seed with TorchSharp, whose default generator is process-wide, and
// each test class starts its own server on two cores: classes run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
