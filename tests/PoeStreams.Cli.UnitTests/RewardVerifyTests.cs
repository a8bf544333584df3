using System.Text.Json;
using PoeStreams.Cli.Commands;
using PoeStreams.Economics.Mining;

namespace PoeStreams.Cli.UnitTests;

/// <summary><c>poe rewards verify</c> offline: no broker, no ClickHouse; exit 0 when valid, 5 when not, naming what fails.</summary>
[Collection("console")]
public sealed class RewardVerifyTests : IDisposable
{
    private const string Epoch = "2026-11-25T12:00:00Z";
    private readonly string directory = Directory.CreateTempSubdirectory("poe-verify-").FullName;
    private readonly RewardClaimsFile claims;

    public RewardVerifyTests()
    {
        MinerReward[] rewards = [.. Enumerable.Range(0, 5).Select(i => new MinerReward($"miner-{i}", 1000m + i, 0.2m * i, 1m, 1m, 0.1m * i, 20m + i))];
        var tree = RewardMerkleTree.Build(MerkleScheme.V2, Epoch, rewards);
        var sorted = RewardMerkleTree.Sorted(rewards).ToList();
        claims = new RewardClaimsFile(
            MerkleScheme.V2.Name, Epoch, tree.Root, "120.000000000000000000", tree.LeafCount,
            [.. sorted.Select((r, i) => new RewardClaim(i, RewardLeaf.Of(r), RewardProofs.Hex(tree.ProofOf(i))))]);
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task A_claims_file_as_written_is_valid()
    {
        var (exitCode, output) = await VerifyAsync(claims);

        Assert.Equal(0, exitCode);
        Assert.Equal("valid", output.Trim());
    }

    [Fact]
    public async Task A_proof_file_as_written_is_valid()
    {
        var claim = claims.Claims[3];

        var (exitCode, _) = await VerifyAsync(new RewardProofFile(claims.Scheme, Epoch, claims.Root, claims.LeafCount, claim.Index, claim.Leaf, claim.Path));

        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task A_share_raised_in_a_claim_is_named_and_exits_5()
    {
        var tampered = claims with { Claims = [.. claims.Claims.Select(c => c.Index == 2 ? c with { Leaf = c.Leaf with { Share = "220.000000000000000000" } } : c)] };

        var (exitCode, output) = await VerifyAsync(tampered);

        Assert.Equal(5, exitCode);
        Assert.StartsWith("INVALID claim of miner-2 (index 2): the leaf and path lead to root ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_path_element_is_named_and_exits_5()
    {
        var claim = claims.Claims[1];
        var path = claim.Path.ToList();
        path[^1] = new string('0', 64);

        var (exitCode, output) = await VerifyAsync(new RewardProofFile(claims.Scheme, Epoch, claims.Root, claims.LeafCount, claim.Index, claim.Leaf, path));

        Assert.Equal(5, exitCode);
        Assert.Contains("proof of miner-1 (index 1)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_proof_moved_to_another_index_does_not_verify()
    {
        var claim = claims.Claims[1];

        var (exitCode, _) = await VerifyAsync(new RewardProofFile(claims.Scheme, Epoch, claims.Root, claims.LeafCount, 0, claim.Leaf, claim.Path));

        Assert.Equal(5, exitCode);
    }

    [Fact]
    public async Task Another_root_does_not_verify()
    {
        var (exitCode, output) = await VerifyAsync(claims with { Root = new string('a', 64) });

        Assert.Equal(5, exitCode);
        Assert.Equal(claims.Claims.Count, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task A_claims_file_missing_a_claim_is_refused()
    {
        var (exitCode, output) = await VerifyAsync(claims with { Claims = [.. claims.Claims.Take(4)] });

        Assert.Equal(5, exitCode);
        Assert.Contains("the file has 4 claims for 5 leaves", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shares_above_the_pool_are_refused()
    {
        var (exitCode, output) = await VerifyAsync(claims with { Pool = "100.000000000000000000" });

        Assert.Equal(5, exitCode);
        Assert.Contains("the shares add up to 110.000000000000000000, more than the pool 100.000000000000000000", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pool_that_is_not_a_number_is_named()
    {
        var (exitCode, output) = await VerifyAsync(claims with { Pool = "lots" });

        Assert.Equal(5, exitCode);
        Assert.Equal("INVALID the pool 'lots' is not a number", output.Trim());
    }

    [Fact]
    public async Task A_leaf_path_and_root_given_on_the_command_line_verify()
    {
        var claim = claims.Claims[4];
        var leaf = claim.Leaf.Text(Epoch)[(Epoch.Length + 1)..];
        string[] arguments = ["rewards", "verify", "--epoch", Epoch, "--leaf", leaf, "--index", "4", "--leaf-count", "5", "--path", string.Join(',', claim.Path), "--root", claims.Root];

        var (valid, _) = await ConsoleCapture.RunAsync(() => PoeCli.RunAsync(arguments));
        var (wrongCount, _) = await ConsoleCapture.RunAsync(() => PoeCli.RunAsync([.. arguments[..^6], "--leaf-count", "6", .. arguments[^4..]]));

        Assert.Equal((0, 5), (valid, wrongCount));
    }

    private async Task<(int ExitCode, string Output)> VerifyAsync(object file)
    {
        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(file, OperatorSettings.JsonOptions));
        return await ConsoleCapture.RunAsync(() => PoeCli.RunAsync(["rewards", "verify", path]));
    }
}
