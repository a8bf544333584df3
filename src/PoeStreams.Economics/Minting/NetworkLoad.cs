using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Minting;

/// <summary>A NetworkLoad metric sample (SPEC §7, FLX).</summary>
public readonly record struct NetworkLoadSample(
    DateTimeOffset Timestamp,
    string SourceId,
    long PendingTransactions,
    decimal AverageGasPrice,
    long QueueLength,
    decimal TransactionFee) : IComparable<NetworkLoadSample>
{
    /// <summary>
    /// Event time first; the other fields break ties so that "the last sample" of an epoch is the same
    /// whatever order partitions deliver samples in.
    /// </summary>
    public int CompareTo(NetworkLoadSample other)
    {
        var order = Timestamp.CompareTo(other.Timestamp);
        if (order == 0) order = string.CompareOrdinal(SourceId, other.SourceId);
        if (order == 0) order = PendingTransactions.CompareTo(other.PendingTransactions);
        if (order == 0) order = AverageGasPrice.CompareTo(other.AverageGasPrice);
        if (order == 0) order = QueueLength.CompareTo(other.QueueLength);
        if (order == 0) order = TransactionFee.CompareTo(other.TransactionFee);
        return order;
    }
}

/// <summary>An epoch's NetworkLoad samples folded: their count, fee sum and the last by event time.</summary>
public readonly record struct NetworkLoadTally(long Samples, decimal FeeSum, NetworkLoadSample? Last)
{
    public static NetworkLoadTally Empty => default;

    /// <summary>The epoch's tx fee: the mean tx_fee of its samples; null without samples.</summary>
    public decimal? MeanFee => Samples == 0 ? null : DecimalMath.RoundToWireScale(FeeSum / Samples);

    public NetworkLoadTally With(NetworkLoadSample sample) =>
        new(Samples + 1, FeeSum + sample.TransactionFee, Later(Last, sample));

    public NetworkLoadTally Combine(NetworkLoadTally other) =>
        other.Last is { } last ? new(Samples + other.Samples, FeeSum + other.FeeSum, Later(Last, last)) : this;

    private static NetworkLoadSample Later(NetworkLoadSample? current, NetworkLoadSample candidate) =>
        current is { } known && known.CompareTo(candidate) >= 0 ? known : candidate;
}

/// <summary>The per-epoch tx fees of the most recent epochs that had NetworkLoad samples, oldest first.</summary>
public sealed record FeeHistory(IReadOnlyList<decimal> EpochFees)
{
    public static FeeHistory Empty { get; } = new([]);

    /// <summary>Appends an epoch's fee, keeping at most <paramref name="window"/> epochs.</summary>
    public FeeHistory With(decimal epochFee, int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var skip = Math.Max(0, EpochFees.Count + 1 - window);
        return new FeeHistory([.. EpochFees.Skip(skip), epochFee]);
    }

    /// <summary>fee_moving_average: the mean of the fees kept; 0 when there are none.</summary>
    public decimal MovingAverage =>
        EpochFees.Count == 0 ? 0m : DecimalMath.RoundToWireScale(EpochFees.Sum() / EpochFees.Count);

    public bool Equals(FeeHistory? other) => other is not null && EpochFees.SequenceEqual(other.EpochFees);

    public override int GetHashCode() => EpochFees.Count;
}
