using PoeStreams.Economics;
using PoeStreams.Economics.Minting;
using PoeStreams.Topology.Governance;
using DomainSalaryReport = PoeStreams.Economics.Salary.OwnerSalaryReport;

namespace PoeStreams.Topology.Stage2;

/// <summary>A gold attestation waiting for the close of its epoch.</summary>
public sealed record PendingGold(DateTimeOffset EpochStart, GoldReserveAttestation Attestation);

/// <summary>
/// A governance command waiting for its time: an approval or halt until the watermark passes
/// <see cref="EffectiveFrom"/>; a mint request until the epoch starting then closes (with its
/// <see cref="Source"/>, for a refusal's dead letter).
/// </summary>
public sealed record PendingGovernance(DateTimeOffset EffectiveFrom, GovernanceCommand Command, SourceRecord? Source = null)
{
    /// <summary><paramref name="queue"/> with <paramref name="added"/>, in (effective time, issue time, event id) order, so arrival order does not matter.</summary>
    public static IReadOnlyList<PendingGovernance> Enqueue(IEnumerable<PendingGovernance> queue, PendingGovernance added) =>
        queue.Append(added)
            .OrderBy(p => p.EffectiveFrom).ThenBy(p => p.Command.IssuedAt).ThenBy(p => p.Command.EventId, StringComparer.Ordinal)
            .ToList();
}

/// <summary>A governance command stage 2 rejected: the partial's offset and the reason.</summary>
public sealed record GovernanceRejection(long Offset, string Detail);

/// <summary>Stage 2's economy-wide state: everything that carries from one epoch or month to the next.</summary>
public sealed record EconomyState(
    DateTimeOffset? ClosedThrough,
    IReadOnlyList<DateTimeOffset> OpenEpochs,
    IReadOnlyList<ParameterPatch> Patches,
    SupplyState Supply,
    FeeHistory FeeHistory,
    GoldReserves Gold,
    IReadOnlyList<PendingGold> PendingGold,
    IReadOnlyList<PendingGovernance> PendingGovernance,
    IReadOnlyDictionary<string, decimal> SalaryAccruedByMonth,
    IReadOnlyList<string> ApprovedMonths,
    bool Halted,
    string PreviousSalaryHash,
    IReadOnlyDictionary<string, DomainSalaryReport> PublishedSalaryReports)
{
    /// <summary>Mint requests waiting for their epoch.</summary>
    public IReadOnlyList<PendingGovernance> PendingMints { get; init; } = [];

    /// <summary>The offset of the last partial whose effect is in this state: a partial at or before it is read again.</summary>
    public long WrittenAt { get; init; } = -1;

    /// <summary>The last <see cref="CloseBoundary.Retained"/> moves of <see cref="ClosedThrough"/> (with the state before each kept apart), oldest first.</summary>
    public IReadOnlyList<CloseBoundary> Advances { get; init; } = [];

    /// <summary>Governance rejected by the partial at an offset, with the reason, so the partial read again sends the same dead letter.</summary>
    public IReadOnlyList<GovernanceRejection> Rejections { get; init; } = [];

    /// <summary>The boundary in force just before the partial at <paramref name="offset"/>.</summary>
    public DateTimeOffset? ClosedThroughBefore(long offset) => CloseBoundary.ClosedThroughBefore(Advances, offset, ClosedThrough);

    public static EconomyState Initial(PoeTopologyOptions options) => new(
        null,
        [],
        [],
        SupplyState.Initial(options.Economics.TokenSupply),
        FeeHistory.Empty,
        GoldReserves.Empty,
        [],
        [],
        new SortedDictionary<string, decimal>(StringComparer.Ordinal),
        [],
        false,
        Economics.Salary.TransparencyChain.GenesisHash,
        new SortedDictionary<string, DomainSalaryReport>(StringComparer.Ordinal));
}
