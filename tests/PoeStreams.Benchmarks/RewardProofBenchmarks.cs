using BenchmarkDotNet.Attributes;
using PoeStreams.Economics.Mining;

namespace PoeStreams.Benchmarks;

/// <summary>
/// Issue #14's target: the tree and every miner's proof of an epoch of 100,000 miners (what
/// <c>poe rewards claims</c> computes) in well under a second on the 2-core reference machine.
/// The result is the number of path hashes, so nothing can be skipped.
/// </summary>
public class RewardProofBenchmarks
{
    private MinerReward[] rewards = [];

    [Params(100_000)]
    public int Miners { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        rewards = [.. Enumerable.Range(0, Miners).Select(i => new MinerReward(
            $"miner-{i:D7}", random.Next(1, 5_000_000) / 100m, random.Next(0, 1_000_000) / 1_000_000m, 1m, 1m, random.Next(0, 1_000_000) / 1_000_000m, random.Next(0, 100_000_000) / 100_000_000m))];
    }

    [Benchmark]
    public int LeafTexts() => rewards.Sum(r => RewardMerkleTree.LeafText("2026-11-25T12:00:00Z", r).Length);

    [Benchmark]
    public string TreeOnly() => RewardMerkleTree.Build(MerkleScheme.V2, "2026-11-25T12:00:00Z", rewards).Root;

    [Benchmark]
    public int EveryProof()
    {
        var tree = RewardMerkleTree.Build(MerkleScheme.V2, "2026-11-25T12:00:00Z", rewards);
        var hashes = 0;
        for (var index = 0; index < tree.LeafCount; index++)
        {
            hashes += tree.ProofOf(index).Path.Count;
        }

        return hashes;
    }
}
