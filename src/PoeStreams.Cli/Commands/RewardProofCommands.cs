using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PoeStreams.Economics.Mining;
using PoeStreams.Economics.Numerics;
using PoeStreams.Economics.Time;
using PoeStreams.Storage.ClickHouse.History;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary>A reward leaf's fields exactly as they are hashed: numbers fixed-point with 18 decimals.</summary>
public sealed record RewardLeaf(string MinerId, string RawScore, string NormalizedScore, string Prestige, string Diversity, string Weight, string Share)
{
    public static RewardLeaf Of(MinerReward reward) => RewardMerkleTree.LeafFields(reward) switch
    {
        [var miner, var raw, var normalized, var prestige, var diversity, var weight, var share] => new(miner, raw, normalized, prestige, diversity, weight, share),
        var fields => throw new InvalidOperationException($"a reward leaf has 7 fields, not {fields.Length}"),
    };

    /// <summary>The leaf's canonical bytes as text, from the fields as written here (a tampered field changes them).</summary>
    public string Text(string epochId) => RewardMerkleTree.LeafText(epochId, [MinerId, RawScore, NormalizedScore, Prestige, Diversity, Weight, Share]);
}

/// <summary>One miner's reward with its proof: <c>poe rewards proof --json</c>, and a file <c>poe rewards verify</c> checks.</summary>
public sealed record RewardProofFile(string Scheme, string EpochId, string Root, long LeafCount, int Index, RewardLeaf Leaf, IReadOnlyList<string> Path, string? PublishedRoot = null);

/// <summary>One entry of a claims file.</summary>
public sealed record RewardClaim(int Index, RewardLeaf Leaf, IReadOnlyList<string> Path);

/// <summary>A whole epoch as one claims file (the Merkle-distributor pattern): <c>poe rewards claims</c>.</summary>
public sealed record RewardClaimsFile(string Scheme, string EpochId, string Root, string Pool, long LeafCount, IReadOnlyList<RewardClaim> Claims);

/// <summary>Checks proofs against a root with nothing but the proof: no broker, no ClickHouse.</summary>
public static class RewardProofs
{
    /// <summary>What is wrong with <paramref name="leafText"/> at <paramref name="index"/> of <paramref name="leafCount"/> under <paramref name="root"/>; null when it verifies.</summary>
    public static string? Problem(string scheme, string leafText, int index, long leafCount, IReadOnlyList<string> path, string root)
    {
        if (MerkleScheme.Named(scheme) is not { } merkle)
        {
            return $"unknown merkle scheme '{scheme}' (known: {string.Join(", ", MerkleScheme.All.Select(s => s.Name))})";
        }

        if (leafCount is < 1 or > int.MaxValue)
        {
            return $"leaf count {leafCount} is not a number of leaves";
        }

        var hashes = new List<byte[]>();
        foreach (var (element, position) in path.Select((e, i) => (e, i)))
        {
            if (Hash(element) is not { } bytes)
            {
                return $"path element {position} is not 64 hex digits: '{element}'";
            }

            hashes.Add(bytes);
        }

        if (Hash(root) is null)
        {
            return $"the root is not 64 hex digits: '{root}'";
        }

        var reached = RewardMerkleTree.RootFrom(merkle, merkle.LeafHash(Encoding.UTF8.GetBytes(leafText)), index, (int)leafCount, hashes);
        return reached is null ? $"a path of {path.Count} hashes does not fit index {index} of {leafCount} leaves"
            : !string.Equals(Convert.ToHexStringLower(reached), root, StringComparison.OrdinalIgnoreCase) ? $"the leaf and path lead to root {Convert.ToHexStringLower(reached)}, not {root.ToLowerInvariant()}"
            : null;
    }

    /// <summary>An epoch's reward tree under the scheme its manifest names, with the rewards in leaf order.</summary>
    public static (RewardMerkleTree Tree, List<MinerReward> Sorted) TreeOf(EpochRewards epoch)
    {
        var scheme = MerkleScheme.Named(epoch.Manifest.MerkleScheme)
            ?? throw new InvalidOperationException($"epoch {epoch.Manifest.EpochId} names an unknown merkle scheme '{epoch.Manifest.MerkleScheme}'");
        return (RewardMerkleTree.Build(scheme, epoch.Manifest.EpochId, epoch.Rewards), [.. RewardMerkleTree.Sorted(epoch.Rewards)]);
    }

    public static string[] Hex(MerkleProof proof) => [.. proof.Path.Select(Convert.ToHexStringLower)];

    private static byte[]? Hash(string hex)
    {
        if (hex.Length != 64)
        {
            return null;
        }

        try
        {
            return Convert.FromHexString(hex);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Settings of the commands that read an epoch's rewards from the history.</summary>
public class EpochRewardSettings : OperatorSettings
{
    [CommandOption("--epoch <ID>")]
    [Description("The epoch id, e.g. 2026-11-25T12:00:00Z.")]
    public string? Epoch { get; init; }

    public override ValidationResult Validate() =>
        EpochWindow.IsId(Epoch)
            ? ValidationResult.Success()
            : ValidationResult.Error($"--epoch must be an epoch id such as 2026-11-25T12:00:00Z, got '{Epoch}'");

    public async Task<EpochRewards> ReadAsync(CancellationToken cancellationToken)
    {
        using var store = ClickHouse();
        return await new PoeHistory(store).EpochRewardsAsync(Epoch!, cancellationToken)
            ?? throw new InvalidOperationException($"epoch {Epoch} has no reward manifest in the history");
    }
}

/// <summary><c>poe rewards proof</c>: one miner's leaf, index, audit path and root, and whether the root is the published one.</summary>
public sealed class RewardProofCommand : AsyncCommand<RewardProofCommand.Settings>
{
    public sealed class Settings : EpochRewardSettings
    {
        [CommandOption("--miner-id <ID>")]
        [Description("The miner.")]
        public string? MinerId { get; init; }

        public override ValidationResult Validate() =>
            !Arguments.IsMinerId(MinerId) ? Arguments.MinerIdRefused(MinerId) : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var epoch = await settings.ReadAsync(cancellationToken);
        var (tree, sorted) = RewardProofs.TreeOf(epoch);
        var index = sorted.FindIndex(r => r.MinerId == settings.MinerId);
        if (index < 0)
        {
            throw new InvalidOperationException($"miner '{settings.MinerId}' has no reward in epoch {settings.Epoch}");
        }

        var proof = tree.ProofOf(index);
        var file = new RewardProofFile(tree.Scheme.Name, settings.Epoch!, tree.Root, tree.LeafCount, index, RewardLeaf.Of(sorted[index]), RewardProofs.Hex(proof), epoch.Manifest.MerkleRoot);
        var matches = tree.Root == epoch.Manifest.MerkleRoot;
        if (settings.Json)
        {
            OperatorSettings.WriteJson(file);
        }
        else
        {
            Console.WriteLine($"miner {file.Leaf.MinerId}, epoch {file.EpochId}: leaf {index} of {file.LeafCount} ({file.Scheme})");
            Console.WriteLine($"leaf   {file.Leaf.Text(file.EpochId)}");
            foreach (var (hash, level) in file.Path.Select((h, i) => (h, i)))
            {
                Console.WriteLine($"path {level,2} {hash}");
            }

            Console.WriteLine($"root   {file.Root}");
            Console.WriteLine(matches ? "The root is the one published in the epoch's manifest." : $"The root does NOT match the published manifest's {epoch.Manifest.MerkleRoot}.");
        }

        return matches ? 0 : 5;
    }
}

/// <summary><c>poe rewards claims</c>: the whole epoch as one claims file.</summary>
public sealed class RewardClaimsCommand : AsyncCommand<RewardClaimsCommand.Settings>
{
    public sealed class Settings : EpochRewardSettings
    {
        [CommandOption("--out <FILE>")]
        [Description("Where to write the claims file (JSON).")]
        public string? Out { get; init; }

        public override ValidationResult Validate() =>
            string.IsNullOrWhiteSpace(Out) ? ValidationResult.Error("--out must name the file to write") : base.Validate();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var epoch = await settings.ReadAsync(cancellationToken);
        var (tree, sorted) = RewardProofs.TreeOf(epoch);
        if (tree.Root != epoch.Manifest.MerkleRoot)
        {
            throw new InvalidOperationException($"the history's rewards of epoch {settings.Epoch} lead to root {tree.Root}, not the published {epoch.Manifest.MerkleRoot}; no claims file written");
        }

        var claims = sorted.Select((reward, index) => new RewardClaim(index, RewardLeaf.Of(reward), RewardProofs.Hex(tree.ProofOf(index)))).ToList();
        var file = new RewardClaimsFile(tree.Scheme.Name, settings.Epoch!, tree.Root, DecimalMath.ToCanonicalString(epoch.Manifest.Pool), tree.LeafCount, claims);
        await using (var output = File.Create(settings.Out!))
        {
            await JsonSerializer.SerializeAsync(output, file, OperatorSettings.JsonOptions, cancellationToken);
        }

        Console.WriteLine($"Wrote {claims.Count} claims of epoch {file.EpochId} (root {file.Root}, {file.Scheme}) to {settings.Out}.");
        return 0;
    }
}

/// <summary><c>poe rewards verify</c>: checks a proof file, a claims file or a leaf, path and root offline; exit 5 when it does not verify.</summary>
public sealed class RewardVerifyCommand : Command<RewardVerifyCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "[FILE]")]
        [Description("A proof (poe rewards proof --json) or claims file (poe rewards claims).")]
        public string? File { get; init; }

        [CommandOption("--epoch <ID>")]
        [Description("With --leaf: the epoch id of the leaf.")]
        public string? Epoch { get; init; }

        [CommandOption("--leaf <TEXT>")]
        [Description("Instead of a file: the leaf's fields after the epoch id, miner_id|raw_score|normalized_score|prestige|diversity|weight|share, numbers with 18 decimals.")]
        public string? Leaf { get; init; }

        [CommandOption("--index <N>")]
        [Description("With --leaf: the leaf's index.")]
        public int? Index { get; init; }

        [CommandOption("--leaf-count <N>")]
        [Description("With --leaf: the number of leaves.")]
        public long? LeafCount { get; init; }

        [CommandOption("--path <HASHES>")]
        [Description("With --leaf: the audit path, hex hashes separated by commas (empty for a single leaf).")]
        public string? Path { get; init; }

        [CommandOption("--root <HEX>")]
        [Description("With --leaf: the root to check against.")]
        public string? Root { get; init; }

        [CommandOption("--scheme <NAME>")]
        [Description("With --leaf: the merkle scheme (default poe-rewards-v2).")]
        public string Scheme { get; init; } = MerkleScheme.V2.Name;

        public override ValidationResult Validate() =>
            (File is null) == (Leaf is null) ? ValidationResult.Error("give a proof or claims FILE, or --leaf with --epoch, --index, --leaf-count, --path and --root")
            : Leaf is not null && (Epoch is null || Index is null || LeafCount is null || Path is null || Root is null) ? ValidationResult.Error("--leaf needs --epoch, --index, --leaf-count, --path and --root")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var problems = settings.File is { } file ? FileProblems(file) : LeafProblems(settings);
        foreach (var problem in problems)
        {
            Console.WriteLine($"INVALID {problem}");
        }

        if (problems.Count == 0)
        {
            Console.WriteLine("valid");
        }

        return problems.Count == 0 ? 0 : 5;
    }

    private static List<string> LeafProblems(Settings settings)
    {
        var path = settings.Path!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return RewardProofs.Problem(settings.Scheme, $"{settings.Epoch}|{settings.Leaf}", settings.Index!.Value, settings.LeafCount!.Value, path, settings.Root!) is { } problem ? [problem] : [];
    }

    private static List<string> FileProblems(string path)
    {
        using var document = JsonDocument.Parse(System.IO.File.ReadAllText(path));
        if (document.RootElement.TryGetProperty("claims", out _))
        {
            var claims = document.Deserialize<RewardClaimsFile>(OperatorSettings.JsonOptions) ?? throw new InvalidDataException($"{path} is not a claims file");
            var problems = claims.Claims
                .Select(c => RewardProofs.Problem(claims.Scheme, c.Leaf.Text(claims.EpochId), c.Index, claims.LeafCount, c.Path, claims.Root) is { } p ? $"claim of {c.Leaf.MinerId} (index {c.Index}): {p}" : null)
                .OfType<string>()
                .ToList();
            if (claims.Claims.Count != claims.LeafCount)
            {
                problems.Add($"the file has {claims.Claims.Count} claims for {claims.LeafCount} leaves");
            }

            // A share that is not a number already changed its leaf, so it is reported above.
            var shares = claims.Claims.Select(c => decimal.TryParse(c.Leaf.Share, NumberStyles.Number, CultureInfo.InvariantCulture, out var share) ? share : 0m).Sum();
            if (!decimal.TryParse(claims.Pool, NumberStyles.Number, CultureInfo.InvariantCulture, out var pool))
            {
                problems.Add($"the pool '{claims.Pool}' is not a number");
            }
            else if (shares > pool)
            {
                problems.Add($"the shares add up to {shares}, more than the pool {claims.Pool}");
            }

            return problems;
        }

        var proof = document.Deserialize<RewardProofFile>(OperatorSettings.JsonOptions) ?? throw new InvalidDataException($"{path} is not a proof file");
        return RewardProofs.Problem(proof.Scheme, proof.Leaf.Text(proof.EpochId), proof.Index, proof.LeafCount, proof.Path, proof.Root) is { } problem ? [$"proof of {proof.Leaf.MinerId} (index {proof.Index}): {problem}"] : [];
    }
}
