namespace PoeStreams.Contracts;

/// <summary>The value schema of every topic (SPEC §2), as the generated contracts carry them.</summary>
public static class ContractSchemas
{
    public static IReadOnlyList<Avro.Schema> All { get; } =
    [
        MinerRegistered._SCHEMA,
        EconomicJob._SCHEMA,
        NetworkMetric._SCHEMA,
        GoldReserveAttestation._SCHEMA,
        GovernanceEvent._SCHEMA,
        JobFeeSplit._SCHEMA,
        PoeIndexSnapshot._SCHEMA,
        MinerReward._SCHEMA,
        RewardManifest._SCHEMA,
        MintDecision._SCHEMA,
        OwnerSalaryReport._SCHEMA,
        DeadLetter._SCHEMA,
    ];
}
