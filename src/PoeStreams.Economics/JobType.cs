namespace PoeStreams.Economics;

/// <summary>The ten kinds of economic job a miner performs (SPEC §3).</summary>
public enum JobType
{
    Transaction,
    DataStorage,
    Compute,
    CrossBorderTransfer,
    ValidatorReward,
    DockLockHosting,
    BankMeshSettlement,
    LiquidityProvision,
    GovernanceVoting,
    AuditCompliance,
}
