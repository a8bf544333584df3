using BenchmarkDotNet.Attributes;
using PoeStreams.Economics;
using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Mining;

namespace PoeStreams.Benchmarks;

/// <summary>
/// Stage 1 of an epoch for 100k miners: closing each miner's tally (month decay, λP, entropy λD in
/// decimal arithmetic, reputation update). This is the cost a partition pays at epoch close.
/// </summary>
public class MinerEpochCloseBenchmarks
{
    private static readonly MiningRewardsParameters Parameters = new();
    private static readonly DateTimeOffset EpochStart = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private MinerEpochTally[] tallies = [];
    private Reputation[] reputations = [];

    [Params(100_000)]
    public int Miners { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        tallies = new MinerEpochTally[Miners];
        reputations = new Reputation[Miners];
        for (var i = 0; i < Miners; i++)
        {
            var minerId = $"miner-{i:D7}";
            var tally = new MinerEpochTally(minerId, (JobType)(i % 10));
            for (var j = 0; j < 3; j++)
            {
                tally = tally.With(
                    new EconomicJob($"{minerId}-{j}", minerId, (JobType)random.Next(10), random.Next(1, 100_000), random.Next(0, 100) / 100m, VerificationStatus.Verified, EpochStart, []),
                    Parameters);
            }

            tallies[i] = tally;
            reputations[i] = new Reputation(random.Next(0, 1000) / 1000m, EpochStart.AddMonths(-1));
        }
    }

    [Benchmark]
    public decimal CloseAll()
    {
        var sum = 0m;
        for (var i = 0; i < tallies.Length; i++)
        {
            sum += tallies[i].Close(reputations[i], EpochStart, Parameters).Score.Diversity;
        }

        return sum;
    }
}
