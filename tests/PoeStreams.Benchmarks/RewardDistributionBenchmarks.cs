using BenchmarkDotNet.Attributes;
using PoeStreams.Economics.Mining;

namespace PoeStreams.Benchmarks;

/// <summary>
/// Stage 2 of an epoch: weights, shares and the unallocated remainder for N active miners.
/// Targets on the 2-core reference machine: 100k miners under 100 ms, 1M under 1.5 s.
/// </summary>
public class RewardDistributionBenchmarks
{
    private MinerEpochScore[] miners = [];

    [Params(10_000, 100_000, 1_000_000)]
    public int Miners { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        miners = new MinerEpochScore[Miners];
        for (var i = 0; i < Miners; i++)
        {
            miners[i] = new MinerEpochScore(
                $"miner-{i:D7}",
                RawScore: random.Next(1, 5_000_000) / 100m,
                Prestige: 1m + (random.Next(0, 500_000_000) / 1_000_000_000m),
                Diversity: 1m + (random.Next(0, 250_000_000) / 1_000_000_000m),
                QualityMean: random.Next(0, 1000) / 1000m,
                JobCount: random.Next(1, 50),
                VerifiedValue: random.Next(1, 1_000_000),
                ReputationBefore: 0m,
                ReputationAfter: 0m);
        }
    }

    [Benchmark]
    public decimal Distribute() => RewardDistribution.Compute(382.71604938m, miners).Unallocated;
}
