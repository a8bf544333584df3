namespace PoeStreams.Economics.Minting;

/// <summary>An audited statement of the gold units a vault holds for AUR.</summary>
public readonly record struct GoldReserveAttestation(string VaultId, decimal GoldUnits, DateTimeOffset AttestedAt);

/// <summary>The latest attestation of every vault; attested gold = the sum of their units (SPEC §7, AUR).</summary>
public sealed record GoldReserves(IReadOnlyDictionary<string, GoldReserveAttestation> LatestByVault)
{
    public static GoldReserves Empty { get; } = new(new Dictionary<string, GoldReserveAttestation>());

    public decimal AttestedGoldUnits => LatestByVault.Values.Sum(a => a.GoldUnits);

    /// <summary>Keeps <paramref name="attestation"/> when it is newer than the vault's current one.</summary>
    public GoldReserves With(GoldReserveAttestation attestation)
    {
        if (LatestByVault.TryGetValue(attestation.VaultId, out var current) && !IsNewer(attestation, current))
        {
            return this;
        }

        var latest = new Dictionary<string, GoldReserveAttestation>(LatestByVault, StringComparer.Ordinal)
        {
            [attestation.VaultId] = attestation,
        };
        return new GoldReserves(latest);
    }

    public bool Equals(GoldReserves? other) =>
        other is not null
        && LatestByVault.Count == other.LatestByVault.Count
        && LatestByVault.All(kv => other.LatestByVault.TryGetValue(kv.Key, out var v) && v == kv.Value);

    public override int GetHashCode() => LatestByVault.Count;

    // Same time: the larger figure wins, so the outcome does not depend on arrival order.
    private static bool IsNewer(GoldReserveAttestation candidate, GoldReserveAttestation current) =>
        candidate.AttestedAt > current.AttestedAt
        || (candidate.AttestedAt == current.AttestedAt && candidate.GoldUnits > current.GoldUnits);
}
