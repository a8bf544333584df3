using System.Text.Json.Serialization;

namespace PoeStreams.Storage.ClickHouse.History;

// The rows the history answers with. Property names are the column names operators see (snake_case).

/// <summary>The last closed epoch and what happened since.</summary>
public sealed record StatusOverview(string LastClosedEpoch, long ActiveMiners, long VerifiedJobs, decimal Gamma, decimal? NexPool, long JobsSince, long RegisteredMiners, long DeadLetters);

/// <summary>A registered miner's Verified jobs received since the last close.</summary>
public sealed record ReceivedJobs(string MinerId, long VerifiedJobs, decimal VerifiedValue);

/// <summary>Jobs of one type and status.</summary>
public sealed record JobCount(string JobType, string Status, long Jobs, decimal Value);

/// <summary>The whole history's epochs.</summary>
public sealed record NetworkSummary(long Epochs, decimal? MeanPhi, decimal? MeanGamma, long VerifiedJobs, long PeakActiveMiners);

/// <summary>A miner's rewards over the whole history.</summary>
public sealed record MinerSummary(string MinerId, decimal NexEarned, long Jobs, long ActiveEpochs, decimal Reputation);

/// <summary>Dead letters of one reason.</summary>
public sealed record DeadLetterCount(string Reason, long DeadLetters);

/// <summary>Jobs and value of one job type.</summary>
public sealed record JobTypeTotal(string JobType, long Jobs, decimal Value);

/// <summary>The fee parts of one UTC day.</summary>
public sealed record DailyFees(string Day, decimal MinerLocked, decimal MinerSpendable, decimal OwnerSalary, decimal Treasury, decimal TotalFee);

/// <summary>A token's mints over the whole history.</summary>
public sealed record MintTotal(string Token, decimal Minted, long EligibleEpochs, decimal Supply);

/// <summary>A miner's score in one epoch.</summary>
public sealed record MinerScore(string EpochId, decimal RawScore, decimal NormalizedScore, decimal Prestige, decimal Diversity, decimal Weight, decimal Share, decimal Reputation, long JobCount);

/// <summary>A Verified job that counted in a score.</summary>
public sealed record ScoredJob(string JobId, string JobType, decimal JobValue, decimal QualityScore);

/// <summary>A miner's NEX in one period (an epoch, a day or a month).</summary>
public sealed record RewardPeriod(string Period, decimal Nex, long Epochs, long Jobs);

/// <summary>How a miner's rewards are grouped.</summary>
public enum RewardBucket
{
    Epoch,
    Day,
    Month,
}

/// <summary>A token's supply.</summary>
public sealed record TokenSupply(string Token, decimal Supply, decimal Minted, long EligibleEpochs, long Epochs);

/// <summary>A token's supply, and where the average issuance of its last 12 epochs leads.</summary>
public sealed record ProjectedSupply(
    string Token,
    decimal Supply,
    decimal Minted,
    long EligibleEpochs,
    long Epochs,
    [property: JsonPropertyName("in_1_day")] decimal In1Day,
    [property: JsonPropertyName("in_30_days")] decimal In30Days);

/// <summary>A month's owner-salary report as published.</summary>
public sealed record SalaryReportSummary(
    string Month, string Status, decimal Gross, decimal Capped, decimal ExcessToTreasury, decimal Immediate, decimal Escrow, decimal Payout, decimal Vested, string TransparencyHash);

/// <summary>One epoch of the index.</summary>
public sealed record IndexEpoch(string EpochId, decimal Phi, decimal Gamma, decimal Volume, decimal Liquidity, decimal Uptime, decimal Quality, long VerifiedJobs, long ActiveMiners);

/// <summary>A token's decision in one epoch (<see cref="Eligible"/> 1 or 0, as ClickHouse stores it).</summary>
public sealed record MintDecisionSummary(string EpochId, string Token, long Eligible, decimal Amount, string Reason, decimal SupplyAfter);

/// <summary>The worker's answer to a mint request: granted in an epoch, or refused (dead-lettered) with the reason.</summary>
public sealed record MintRequestAnswer(bool Granted, string? EpochId, string Reason);

/// <summary>An epoch's published reward manifest, as the history holds it.</summary>
public sealed record PublishedManifest(string EpochId, string MerkleRoot, string MerkleScheme, decimal Pool);

/// <summary>An epoch's manifest and the rewards its Merkle tree is built from.</summary>
public sealed record EpochRewards(PublishedManifest Manifest, IReadOnlyList<PoeStreams.Economics.Mining.MinerReward> Rewards);
