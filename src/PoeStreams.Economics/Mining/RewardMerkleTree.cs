using System.Security.Cryptography;
using System.Text;
using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Mining;

/// <summary>
/// The Merkle root of an epoch's rewards, published in the reward manifest so anyone holding the
/// reward records can check that none was added, dropped or changed.
/// </summary>
/// <remarks>
/// Leaves are the rewards sorted by miner id (ordinal). A leaf is SHA-256 of the UTF-8 line
/// <c>epoch_id|miner_id|raw_score|normalized_score|prestige|diversity|weight|share</c> with every
/// number fixed-point at 18 decimals. A parent is SHA-256 of its two children's 32 bytes; a level with
/// an odd count carries its last node up unchanged. No rewards: SHA-256 of nothing. Hex, lower case.
/// </remarks>
public static class RewardMerkleTree
{
    public static string Root(string epochId, IEnumerable<MinerReward> rewards)
    {
        var level = rewards
            .OrderBy(r => r.MinerId, StringComparer.Ordinal)
            .Select(r => SHA256.HashData(Encoding.UTF8.GetBytes(LeafText(epochId, r))))
            .ToList();
        if (level.Count == 0)
        {
            return Convert.ToHexStringLower(SHA256.HashData([]));
        }

        Span<byte> pair = stackalloc byte[64];
        while (level.Count > 1)
        {
            var parents = new List<byte[]>((level.Count + 1) / 2);
            for (var i = 0; i + 1 < level.Count; i += 2)
            {
                level[i].CopyTo(pair);
                level[i + 1].CopyTo(pair[32..]);
                parents.Add(SHA256.HashData(pair));
            }

            if (level.Count % 2 == 1)
            {
                parents.Add(level[^1]);
            }

            level = parents;
        }

        return Convert.ToHexStringLower(level[0]);
    }

    public static string LeafText(string epochId, MinerReward reward) =>
        string.Join(
            '|',
            epochId,
            reward.MinerId,
            DecimalMath.ToCanonicalString(reward.RawScore),
            DecimalMath.ToCanonicalString(reward.NormalizedScore),
            DecimalMath.ToCanonicalString(reward.Prestige),
            DecimalMath.ToCanonicalString(reward.Diversity),
            DecimalMath.ToCanonicalString(reward.Weight),
            DecimalMath.ToCanonicalString(reward.Share));
}
