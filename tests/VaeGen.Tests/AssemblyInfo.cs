using Xunit;

// torch.manual_seed sets one process-wide generator: run the tests one at a time so seeded tests are reproducible.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
