using PoeStreams.Economics;
using PoeStreams.Economics.Minting;
using PoeStreams.Topology.Governance;
using DomainSalaryReport = PoeStreams.Economics.Salary.OwnerSalaryReport;

namespace PoeStreams.Topology.Stage2;

/// <summary>A gold attestation waiting for the close of its epoch.</summary>
public sealed record PendingGold(DateTimeOffset EpochStart, GoldReserveAttestation Attestation);

/// <summary>An approval or halt waiting for the watermark to pass the time it takes effect.</summary>
public sealed record PendingGovernance(DateTimeOffset EffectiveFrom, GovernanceCommand Command);

/// <summary>A governance mint request waiting for the close of the epoch it is for, with its source for a refusal's dead letter.</summary>
public sealed record PendingMintRequest(DateTimeOffset EpochStart, GovernanceCommand Command, SourceRecord Source);

/// <summary>Stage 2's economy-wide state: everything that carries from one epoch or month to the next.</summary>
public sealed record EconomyState(
    IReadOnlyDictionary<int, DateTimeOffset> Watermarks,
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
    /// <summary>Mint requests by epoch, then issue time and event id. A property with a default so state written before it existed still loads.</summary>
    public IReadOnlyList<PendingMintRequest> PendingMints { get; init; } = [];

    public static EconomyState Initial(PoeTopologyOptions options) => new(
        new Dictionary<int, DateTimeOffset>(),
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
