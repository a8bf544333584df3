using System.Security.Cryptography;
using System.Text;
using FsCheck;
using FsCheck.Xunit;
using PoeStreams.Economics.Mining;

namespace PoeStreams.Economics.UnitTests;

public class RewardMerkleTreeTests
{
    private const string Epoch = "2026-11-25T12:00:00Z";

    // The README's worked example.
    private static readonly MinerReward[] Example =
    [
        new("miner-c", 500m, 0.25m, 1m, 1.2m, 0.3m, 75m),
        new("miner-a", 1000m, 0.5m, 1m, 1m, 0.5m, 125m),
        new("miner-b", 2000m, 1m, 1.1m, 1m, 1.1m, 275m),
    ];

    [Fact]
    public void The_readme_worked_example_gives_its_leaves_and_root()
    {
        var tree = RewardMerkleTree.Build(MerkleScheme.V2, Epoch, Example);

        Assert.Equal("cec257270afcb89c17d45a8a2205663d92bc61e8cb5680ffe1b69a98614fb3b2", tree.Root);
        Assert.Equal(["890b500cdaf6408ca9694be3358a259e14792521e224a0dadacb3c106c6fec75", "d4e3d40f0b5ce91a0acbdea06f42fa4ccd7a330b6c1dcb69ec20fd61fec2569f"], tree.ProofOf(1).Path.Select(Convert.ToHexStringLower));
        Assert.Equal(["a41812dfc215ff0cbf194445e727b2c6497dbc0b81705feb5a85b51f00ef7ea5"], tree.ProofOf(2).Path.Select(Convert.ToHexStringLower));
    }

    [Property(MaxTest = 60)]
    public bool A_verifier_written_from_the_readme_accepts_every_proof_of_any_tree(PositiveInt size)
    {
        var rewards = Rewards(size.Get % 70 + 1);
        var tree = RewardMerkleTree.Build(MerkleScheme.V2, Epoch, rewards);
        var sorted = RewardMerkleTree.Sorted(rewards).ToList();

        return Enumerable.Range(0, sorted.Count).All(index =>
        {
            var proof = tree.ProofOf(index);
            return ReadmeVerifier.RootFrom(RewardMerkleTree.LeafText(Epoch, sorted[index]), index, proof.LeafCount, proof.Path.Select(Convert.ToHexStringLower).ToList()) == tree.Root;
        });
    }

    [Fact]
    public void An_epoch_of_one_miner_has_its_leaf_hash_as_root_and_an_empty_path()
    {
        var tree = RewardMerkleTree.Build(MerkleScheme.V2, Epoch, [Example[0]]);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([0x00, .. Encoding.UTF8.GetBytes(RewardMerkleTree.LeafText(Epoch, Example[0]))])), tree.Root);
        Assert.Empty(tree.ProofOf(0).Path);
    }

    [Fact]
    public void An_epoch_without_rewards_has_the_hash_of_nothing_as_root() =>
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([])), RewardMerkleTree.RootOf(MerkleScheme.V2, Epoch, []));

    [Fact]
    public void Changing_any_leaf_field_changes_the_root()
    {
        var root = RewardMerkleTree.RootOf(MerkleScheme.V2, Epoch, Example);
        MinerReward[] changed =
        [
            Example[1] with { MinerId = "miner-z" }, Example[1] with { RawScore = 1000.000000000000000001m }, Example[1] with { NormalizedScore = 0.6m },
            Example[1] with { Prestige = 1.01m }, Example[1] with { Diversity = 1.1m }, Example[1] with { Weight = 0.51m }, Example[1] with { Share = 125.00000001m },
        ];

        Assert.All(changed, reward => Assert.NotEqual(root, RewardMerkleTree.RootOf(MerkleScheme.V2, Epoch, [Example[0], reward, Example[2]])));
    }

    [Property(MaxTest = 60)]
    public bool A_proof_with_any_path_element_index_or_root_tampered_does_not_verify(PositiveInt size, NonNegativeInt pick, byte flip)
    {
        var rewards = Rewards(size.Get % 40 + 2);
        var tree = RewardMerkleTree.Build(MerkleScheme.V2, Epoch, rewards);
        var sorted = RewardMerkleTree.Sorted(rewards).ToList();
        var index = pick.Get % sorted.Count;
        var proof = tree.ProofOf(index);
        var leaf = MerkleScheme.V2.LeafHash(RewardMerkleTree.LeafBytes(Epoch, sorted[index]));
        var root = Convert.FromHexString(tree.Root);
        var bit = (byte)(1 << (flip % 8));

        var tamperedPath = proof.Path.Select((h, i) => i == pick.Get % proof.Path.Count ? Flip(h, bit) : h).ToList();
        var otherIndex = (index + 1 + (flip % (sorted.Count - 1))) % sorted.Count;

        return Reaches(RewardMerkleTree.RootFrom(MerkleScheme.V2, leaf, index, proof.LeafCount, proof.Path), root)
            && !Reaches(RewardMerkleTree.RootFrom(MerkleScheme.V2, leaf, index, proof.LeafCount, tamperedPath), root)
            && !Reaches(RewardMerkleTree.RootFrom(MerkleScheme.V2, leaf, otherIndex, proof.LeafCount, proof.Path), root)
            && !Reaches(RewardMerkleTree.RootFrom(MerkleScheme.V2, leaf, index, proof.LeafCount, proof.Path), Flip(root, bit))
            && !Reaches(RewardMerkleTree.RootFrom(MerkleScheme.V2, Flip(leaf, bit), index, proof.LeafCount, proof.Path), root);
    }

    [Fact]
    public void Under_v2_an_inner_node_cannot_pass_for_a_leaf_as_it_can_under_v1()
    {
        var rewards = Rewards(4);
        foreach (var scheme in MerkleScheme.All)
        {
            var tree = RewardMerkleTree.Build(scheme, Epoch, rewards);
            var sorted = RewardMerkleTree.Sorted(rewards).ToList();
            var (left, right) = (scheme.LeafHash(RewardMerkleTree.LeafBytes(Epoch, sorted[0])), scheme.LeafHash(RewardMerkleTree.LeafBytes(Epoch, sorted[1])));

            // The 64 bytes of two leaf hashes, presented as the "leaf" of a two-leaf tree made of the upper level.
            var forged = scheme.LeafHash([.. left, .. right]);
            var reached = RewardMerkleTree.RootFrom(scheme, forged, 0, 2, [tree.ProofOf(0).Path[^1]]);

            Assert.Equal(scheme == MerkleScheme.V1, Reaches(reached, Convert.FromHexString(tree.Root)));
        }
    }

    [Fact]
    public void The_v1_root_is_the_one_earlier_manifests_carry()
    {
        // v1 as it was written before schemes existed: leaf = SHA-256(text), node = SHA-256(left ‖ right), odd carried up.
        var level = RewardMerkleTree.Sorted(Example).Select(r => SHA256.HashData(Encoding.UTF8.GetBytes(RewardMerkleTree.LeafText(Epoch, r)))).ToList();
        var root = SHA256.HashData([.. SHA256.HashData([.. level[0], .. level[1]]), .. level[2]]);

        Assert.Equal(Convert.ToHexStringLower(root), RewardMerkleTree.RootOf(MerkleScheme.V1, Epoch, Example));
    }

    [Fact]
    public void A_path_longer_or_shorter_than_the_tree_does_not_verify()
    {
        var tree = RewardMerkleTree.Build(MerkleScheme.V2, Epoch, Example);
        var proof = tree.ProofOf(1);
        var leaf = MerkleScheme.V2.LeafHash(RewardMerkleTree.LeafBytes(Epoch, RewardMerkleTree.Sorted(Example).ElementAt(1)));

        Assert.Null(RewardMerkleTree.RootFrom(MerkleScheme.V2, leaf, 1, 3, [.. proof.Path, proof.Path[0]]));
        Assert.Null(RewardMerkleTree.RootFrom(MerkleScheme.V2, leaf, 1, 3, [proof.Path[0]]));
        Assert.Null(RewardMerkleTree.RootFrom(MerkleScheme.V2, leaf, 3, 3, proof.Path));
    }

    private static bool Reaches(byte[]? reached, byte[] root) => reached is not null && reached.AsSpan().SequenceEqual(root);

    private static byte[] Flip(byte[] hash, byte bit)
    {
        var copy = (byte[])hash.Clone();
        copy[0] ^= bit;
        return copy;
    }

    private static List<MinerReward> Rewards(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new MinerReward($"m-{(i * 7919) % 1000:D4}-{i}", 1000m + i, i / 1000m, 1m, 1m + (i % 3) / 10m, i / 100m, 10m + i))];

    /// <summary>A second verifier, written from the README's text only ("Reward proofs"), with nothing of the product's code.</summary>
    private static class ReadmeVerifier
    {
        public static string RootFrom(string leafText, int index, int leafCount, IReadOnlyList<string> path)
        {
            var node = SHA256.HashData([0x00, .. Encoding.UTF8.GetBytes(leafText)]);
            var (i, n, next) = (index, leafCount, 0);
            while (n > 1)
            {
                if (i % 2 == 1)
                {
                    node = SHA256.HashData([0x01, .. Convert.FromHexString(path[next++]), .. node]);
                }
                else if (i + 1 < n)
                {
                    node = SHA256.HashData([0x01, .. node, .. Convert.FromHexString(path[next++])]);
                }

                i /= 2;
                n = (n + 1) / 2;
            }

            return next == path.Count ? Convert.ToHexStringLower(node) : "path not used up";
        }
    }
}
