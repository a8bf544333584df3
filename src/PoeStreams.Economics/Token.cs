namespace PoeStreams.Economics;

/// <summary>The four tokens of the economy (SPEC §3). Members are the ticker symbols.</summary>
public enum Token
{
    /// <summary>Genesis: fixed supply, never mintable.</summary>
    GEN,

    /// <summary>Nexus: minted from the PoE index, distributed to miners.</summary>
    NEX,

    /// <summary>Flux: elastic on network demand.</summary>
    FLX,

    /// <summary>Aurum: backed 1:1 by attested gold.</summary>
    AUR,
}

/// <summary>The fixed GEN supply and its genesis allocation.</summary>
public static class GenesisAllocation
{
    public const decimal Community = 50_000m;
    public const decimal Governance = 20_000m;
    public const decimal Development = 15_000m;
    public const decimal Partnerships = 10_000m;
    public const decimal Emergency = 5_000m;

    /// <summary>The whole GEN supply: the sum of the allocations.</summary>
    public const decimal TotalSupply = Community + Governance + Development + Partnerships + Emergency;

    public static IReadOnlyList<KeyValuePair<string, decimal>> Allocations { get; } =
    [
        new("community", Community),
        new("governance", Governance),
        new("development", Development),
        new("partnerships", Partnerships),
        new("emergency", Emergency),
    ];
}
