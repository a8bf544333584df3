using System.Security.Cryptography;
using System.Text;
using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Mining;

/// <summary>
/// How a reward Merkle tree hashes leaves and inner nodes; named in the manifest's <c>merkle_scheme</c>,
/// so a manifest verifies under the scheme it was written with.
/// </summary>
/// <param name="LeafPrefix">Bytes before a leaf's canonical bytes (RFC 6962's 0x00 in v2; none in v1).</param>
/// <param name="NodePrefix">Bytes before two children's hashes (RFC 6962's 0x01 in v2; none in v1).</param>
public sealed record MerkleScheme(string Name, byte[] LeafPrefix, byte[] NodePrefix)
{
    /// <summary>The first tree: no domain separation, so an inner node could be passed off as a leaf. Kept to verify old manifests.</summary>
    public static readonly MerkleScheme V1 = new("poe-rewards-v1", [], []);

    /// <summary>The current tree: leaf = SHA-256(0x00 ‖ leaf bytes), node = SHA-256(0x01 ‖ left ‖ right).</summary>
    public static readonly MerkleScheme V2 = new("poe-rewards-v2", [0x00], [0x01]);

    public static IReadOnlyList<MerkleScheme> All { get; } = [V1, V2];

    /// <summary>The scheme called <paramref name="name"/>; null when there is none.</summary>
    public static MerkleScheme? Named(string name) => All.FirstOrDefault(s => s.Name == name);

    public byte[] LeafHash(ReadOnlySpan<byte> leafBytes)
    {
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        return LeafHash(hasher, leafBytes);
    }

    public byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        return NodeHash(hasher, left, right);
    }

    // With one hasher for a whole tree: creating the native hash context is most of the cost of a node.
    internal byte[] LeafHash(IncrementalHash hasher, ReadOnlySpan<byte> leafBytes) => Hash(hasher, LeafPrefix, leafBytes, []);

    internal byte[] NodeHash(IncrementalHash hasher, ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => Hash(hasher, NodePrefix, left, right);

    private static byte[] Hash(IncrementalHash hasher, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        hasher.AppendData(prefix);
        hasher.AppendData(first);
        hasher.AppendData(second);
        return hasher.GetHashAndReset();
    }
}

/// <summary>One miner's place in an epoch's reward tree: enough to check its reward against the root alone.</summary>
/// <param name="Index">The leaf's position among the rewards sorted by miner id (ordinal), from 0.</param>
/// <param name="Path">The sibling hashes from the leaf up; a level where the node has no sibling contributes none.</param>
public sealed record MerkleProof(string Scheme, int Index, int LeafCount, IReadOnlyList<byte[]> Path);

/// <summary>
/// The Merkle tree of an epoch's rewards, published as a root in the reward manifest, with per-miner
/// proofs so that one miner can check its own reward against the root without the other rewards.
/// </summary>
/// <remarks>
/// Leaves are the rewards sorted by miner id (ordinal); a leaf's canonical bytes are the UTF-8 line
/// <c>epoch_id|miner_id|raw_score|normalized_score|prestige|diversity|weight|share</c> with every number
/// fixed-point at 18 decimals (<see cref="LeafFields"/>). Each level pairs nodes left to right; a level
/// with an odd count carries its last node up unchanged. No rewards: SHA-256 of nothing. Hex, lower case.
/// The README writes this out with a worked example.
/// </remarks>
public sealed class RewardMerkleTree
{
    // levels[0] are the leaf hashes; the last level holds the root alone.
    private readonly List<byte[][]> levels;

    private RewardMerkleTree(MerkleScheme scheme, List<byte[][]> levels)
    {
        Scheme = scheme;
        this.levels = levels;
    }

    public MerkleScheme Scheme { get; }

    public int LeafCount => levels[0].Length;

    /// <summary>The root in hex, lower case.</summary>
    public string Root => Convert.ToHexStringLower(levels[^1].Length == 0 ? SHA256.HashData([]) : levels[^1][0]);

    /// <summary>The tree of <paramref name="rewards"/> (any order: they are sorted by miner id).</summary>
    public static RewardMerkleTree Build(MerkleScheme scheme, string epochId, IEnumerable<MinerReward> rewards)
    {
        using var hasher = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var leaves = Sorted(rewards).Select(r => scheme.LeafHash(hasher, LeafBytes(epochId, r))).ToArray();
        var levels = new List<byte[][]> { leaves };
        while (levels[^1].Length > 1)
        {
            var below = levels[^1];
            var above = new byte[(below.Length + 1) / 2][];
            for (var i = 0; i < above.Length; i++)
            {
                above[i] = 2 * i + 1 < below.Length ? scheme.NodeHash(hasher, below[2 * i], below[2 * i + 1]) : below[2 * i];
            }

            levels.Add(above);
        }

        return new RewardMerkleTree(scheme, levels);
    }

    /// <summary>The root of <paramref name="rewards"/> under <paramref name="scheme"/>.</summary>
    public static string RootOf(MerkleScheme scheme, string epochId, IEnumerable<MinerReward> rewards) => Build(scheme, epochId, rewards).Root;

    /// <summary>The rewards in leaf order.</summary>
    public static IEnumerable<MinerReward> Sorted(IEnumerable<MinerReward> rewards) => rewards.OrderBy(r => r.MinerId, StringComparer.Ordinal);

    /// <summary>The proof of the leaf at <paramref name="index"/>.</summary>
    public MerkleProof ProofOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, LeafCount);
        var path = new List<byte[]>();
        var node = index;
        for (var level = 0; level < levels.Count - 1; level++, node /= 2)
        {
            var sibling = node ^ 1;
            if (sibling < levels[level].Length)
            {
                path.Add(levels[level][sibling]);
            }
        }

        return new MerkleProof(Scheme.Name, index, LeafCount, path);
    }

    /// <summary>
    /// The root that <paramref name="leafHash"/> at <paramref name="index"/> of <paramref name="leafCount"/>
    /// leaves leads to along <paramref name="path"/>; null when the path does not fit the index and count.
    /// </summary>
    public static byte[]? RootFrom(MerkleScheme scheme, byte[] leafHash, int index, int leafCount, IReadOnlyList<byte[]> path)
    {
        if (index < 0 || index >= leafCount)
        {
            return null;
        }

        var node = leafHash;
        var used = 0;
        for (var count = leafCount; count > 1; count = (count + 1) / 2, index /= 2)
        {
            if (index % 2 == 1 || index + 1 < count)
            {
                if (used == path.Count)
                {
                    return null;
                }

                node = index % 2 == 1 ? scheme.NodeHash(path[used], node) : scheme.NodeHash(node, path[used]);
                used++;
            }
        }

        return used == path.Count ? node : null;
    }

    public static byte[] LeafBytes(string epochId, MinerReward reward) => Encoding.UTF8.GetBytes(LeafText(epochId, reward));

    public static string LeafText(string epochId, MinerReward reward) => LeafText(epochId, LeafFields(reward));

    /// <summary>The leaf text of <paramref name="fields"/> (those of <see cref="LeafFields"/>, as written).</summary>
    public static string LeafText(string epochId, IEnumerable<string> fields) => string.Join('|', [epochId, .. fields]);

    /// <summary>A leaf's fields after the epoch id, in order: miner id, then the numbers fixed-point at 18 decimals.</summary>
    public static string[] LeafFields(MinerReward reward) =>
    [
        reward.MinerId,
        DecimalMath.ToCanonicalString(reward.RawScore),
        DecimalMath.ToCanonicalString(reward.NormalizedScore),
        DecimalMath.ToCanonicalString(reward.Prestige),
        DecimalMath.ToCanonicalString(reward.Diversity),
        DecimalMath.ToCanonicalString(reward.Weight),
        DecimalMath.ToCanonicalString(reward.Share),
    ];
}
