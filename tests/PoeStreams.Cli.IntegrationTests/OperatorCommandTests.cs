using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PoeStreams.Contracts;
using PoeStreams.Economics.Time;
using PoeStreams.LocalKafka;
using PoeStreams.Storage.ClickHouse;
using PoeStreams.Topology;
using PoeStreams.Worker;

namespace PoeStreams.Cli.IntegrationTests;

/// <summary>
/// What a new user does after the README: register a miner, submit a job and see its fee split, and once
/// the epoch closes, see it in the index; change the weights. Against the local broker, the worker with
/// its ClickHouse sink, and the real local ClickHouse server.
/// </summary>
public sealed class OperatorCommandTests : IAsyncLifetime
{
    private LocalKafkaCluster broker = null!;
    private LocalSchemaRegistry registry = null!;
    private ClickHouseStore store = null!;
    private IHost worker = null!;
    private int metricsPort;

    public async Task InitializeAsync()
    {
        var topology = new PoeTopologyOptions { ApplicationId = "poe-cli-it", Partitions = 2 };
        broker = LocalKafkaCluster.Start(TopicCatalog.For(topology.Partitions, topology.ApplicationId).Select(t => new LocalTopic(t.Name, t.Partitions)), port: 0);
        registry = LocalSchemaRegistry.WithCatalog(port: 0);
        store = LocalClickHouse.NewStore();
        metricsPort = Ports.Free();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BOOTSTRAP_SERVERS"] = broker.BootstrapServers,
            ["SCHEMA_REGISTRY_URL"] = registry.Url,
            ["APPLICATION_ID"] = topology.ApplicationId,
            ["PARTITIONS"] = "2",
            ["EPOCH_SECONDS"] = "10",
            ["GRACE_SECONDS"] = "2",
            ["METRICS_PORT"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SESSION_TIMEOUT_MS"] = "6000",
            ["STATE_DIR"] = Path.Combine(Path.GetTempPath(), $"poe-cli-it-{Guid.NewGuid():N}"),
            ["CLICKHOUSE_URL"] = LocalClickHouse.ServerUrl,
            ["CLICKHOUSE_DATABASE"] = store.Options.Database,
        }).Build();
        worker = WorkerHost.Build(configuration, logging: l => l.SetMinimumLevel(LogLevel.Warning));
        await worker.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await worker.StopAsync();
        worker.Dispose();
        store.Dispose();
        await broker.DisposeAsync();
        await registry.DisposeAsync();
    }

    [Fact]
    public async Task A_new_user_registers_a_miner_submits_a_job_and_sees_fees_index_and_weights()
    {
        var started = await Poe("start-mining", "--miner-id", "cli-m1", "--specialization", "compute", "--json");
        Assert.Equal(0, started.ExitCode);
        using (var registration = JsonDocument.Parse(started.Output))
        {
            Assert.True(registration.RootElement.GetProperty("visible_to_worker").GetBoolean());
            Assert.Equal("Compute", registration.RootElement.GetProperty("specialization").GetString());
        }

        await WaitUntilAsync(async () => (await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.miners FINAL WHERE miner_id = 'cli-m1'")).Single()["n"] == "1");

        var submitted = await Poe("submit-job", "--miner-id", "cli-m1", "--type", "DockLockHosting", "--value", "50000", "--quality", "0.9",
            "--hosting-hours", "200", "--hourly-rate", "100", "--api-requests", "5000000", "--per-request-fee", "0.01", "--json");
        Assert.Equal(0, submitted.ExitCode);
        using (var job = JsonDocument.Parse(submitted.Output))
        {
            var fee = job.RootElement.GetProperty("fee");
            Assert.Equal(70_000m, job.RootElement.GetProperty("docklock_revenue").GetDecimal());
            Assert.Equal([100m, 150m, 240m, 360m, 850m], new[] { "miner_locked", "miner_spendable", "owner_salary", "treasury", "total" }.Select(p => fee.GetProperty(p).GetDecimal()));
        }

        var ghost = await Poe("submit-job", "--miner-id", "ghost", "--type", "compute", "--value", "1", "--quality", "0.5");
        Assert.NotEqual(0, ghost.ExitCode);
        Assert.Equal("poe: unknown miner 'ghost': register it first with poe start-mining", ghost.Output.Trim());

        await WaitUntilAsync(async () => (await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.index_per_epoch WHERE verified_jobs > 0")).Single()["n"] != "0");
        var index = await Poe("index", "--history", "--components", "--json");
        Assert.Equal(0, index.ExitCode);
        using (var epochs = JsonDocument.Parse(index.Output))
        {
            var withJob = epochs.RootElement.EnumerateArray().Single(e => e.GetProperty("verified_jobs").GetInt64() == 1);
            Assert.Equal(0.015m, withJob.GetProperty("components").GetProperty("volume").GetDecimal()); // 0.3 × 50,000 / 1e6
            Assert.Equal(1, withJob.GetProperty("active_miners").GetInt64());
        }

        var chart = await Poe("index", "--history", "--limit", "5");
        Assert.Equal(0, chart.ExitCode);
        Assert.Contains("Φ per epoch", chart.Output);

        await WaitUntilAsync(async () => (await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.miner_rewards FINAL WHERE miner_id = 'cli-m1'")).Single()["n"] == "1");
        var score = await Poe("score", "--miner-id", "cli-m1", "--detailed", "--json");
        Assert.Equal(0, score.ExitCode);
        decimal share;
        using (var scored = JsonDocument.Parse(score.Output))
        {
            Assert.Equal(95_000m, scored.RootElement.GetProperty("score").GetProperty("raw_score").GetDecimal()); // 50,000 × (1 + 0.9), no specialization bonus
            Assert.Equal(1m, scored.RootElement.GetProperty("score").GetProperty("normalized_score").GetDecimal());
            share = scored.RootElement.GetProperty("score").GetProperty("share").GetDecimal();
            Assert.Equal("DockLockHosting", scored.RootElement.GetProperty("jobs")[0].GetProperty("job_type").GetString());
        }

        var daily = await Poe("calculate-rewards", "--miner-id", "cli-m1", "--period", "daily", "--json");
        Assert.Equal(0, daily.ExitCode);
        using (var rewards = JsonDocument.Parse(daily.Output))
        {
            Assert.Equal(share, rewards.RootElement[0].GetProperty("nex").GetDecimal());
        }

        foreach (var period in new[] { "epoch", "monthly" })
        {
            var rewarded = await Poe("calculate-rewards", "--miner-id", "cli-m1", "--period", period, "--json");
            Assert.Equal(0, rewarded.ExitCode);
            using var periods = JsonDocument.Parse(rewarded.Output);
            Assert.Equal(share, periods.RootElement[0].GetProperty("nex").GetDecimal());
            Assert.Matches(period == "epoch" ? @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$" : @"^\d{4}-\d{2}$", periods.RootElement[0].GetProperty("period").GetString());
        }

        var rewardedEpoch = await Poe("calculate-rewards", "--miner-id", "cli-m1", "--period", "epoch", "--json");
        using (var epochs = JsonDocument.Parse(rewardedEpoch.Output))
        {
            await ProvesTheRewardsOfTheEpochAsync(epochs.RootElement[0].GetProperty("period").GetString()!);
        }

        var lastIndex = await Poe("index", "--current", "--json");
        Assert.Equal(0, lastIndex.ExitCode);
        using (var last = JsonDocument.Parse(lastIndex.Output))
        {
            Assert.Equal(1, last.RootElement.GetArrayLength());
            Assert.Equal(JsonValueKind.Null, last.RootElement[0].GetProperty("components").ValueKind);
        }

        var supply = await Poe("supply", "--status", "--projections", "--json");
        Assert.Equal(0, supply.ExitCode);
        using (var tokens = JsonDocument.Parse(supply.Output))
        {
            var gen = tokens.RootElement.EnumerateArray().Single(t => t.GetProperty("token").GetString() == "GEN");
            Assert.Equal(100_000m, gen.GetProperty("supply").GetDecimal());
            Assert.Equal(100_000m, gen.GetProperty("in_30_days").GetDecimal());
        }

        // Stage 2 publishes an epoch's mints after its index; the sink may store them a batch later.
        await WaitUntilAsync(async () => (await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.mints FINAL WHERE token = 'NEX'")).Single()["n"] != "0");
        var nex = await Poe("minting", "--check-eligibility", "--token", "nex", "--json");
        Assert.True(nex.ExitCode == 0, nex.Output);
        using (var decision = JsonDocument.Parse(nex.Output))
        {
            Assert.Equal("NEX", decision.RootElement[0].GetProperty("token").GetString());
            Assert.StartsWith("gamma ", decision.RootElement[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        }

        // A second job, in the open epoch: what status --miners --jobs --rewards is about.
        Assert.Equal(0, (await Poe("submit-job", "--miner-id", "cli-m1", "--type", "compute", "--value", "1000", "--quality", "0.5")).ExitCode);
        await WaitUntilAsync(async () => (await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.jobs FINAL")).Single()["n"] == "2");
        var status = await Poe("status", "--miners", "--jobs", "--rewards", "--json");
        Assert.True(status.ExitCode == 0, status.Output);
        using (var overview = JsonDocument.Parse(status.Output))
        {
            var root = overview.RootElement;
            Assert.Equal(1m, root.GetProperty("overview")[0].GetProperty("registered_miners").GetDecimal());
            Assert.StartsWith("20", root.GetProperty("overview")[0].GetProperty("last_closed_epoch").GetString(), StringComparison.Ordinal);
            Assert.True(root.GetProperty("overview")[0].GetProperty("nex_pool").GetDecimal() >= 0m);
            var jobs = root.GetProperty("jobs").EnumerateArray().Single(j => j.GetProperty("job_type").GetString() == "Compute");
            Assert.Equal(1m, jobs.GetProperty("jobs").GetDecimal());
            Assert.Equal("cli-m1", root.GetProperty("miners")[0].GetProperty("miner_id").GetString());
            Assert.Equal(1000m, root.GetProperty("miners")[0].GetProperty("verified_value").GetDecimal());
            Assert.Equal(5m, root.GetProperty("rewards")[0].GetProperty("pending").GetDecimal()); // 0.5% of 1,000: locked 2 + spendable 3
        }

        var statusTable = await Poe("status", "--rewards");
        Assert.Equal(0, statusTable.ExitCode);
        Assert.Contains("overview", statusTable.Output);
        Assert.Contains("pending", statusTable.Output);

        // Piped, as over ssh into a log: 80 columns, the one-row overview as field/value lines, no cell cut.
        var piped = await PipedAsync("status", "--miners", "--jobs", "--rewards");
        Assert.All(piped, line => Assert.True(line.Length <= 80, $"{line.Length} characters: {line}"));
        Assert.Contains(piped, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^last_closed_epoch +20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ$"));
        Assert.Contains(piped, line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^gamma +0\.\d+$"));
        Assert.Contains("verified_value  1000", piped);
        Assert.Contains("pending    5", piped);

        var metrics = await Poe("metrics", "--export", "--prometheus", "--url", $"http://127.0.0.1:{metricsPort}/metrics");
        Assert.Equal(0, metrics.ExitCode);
        Assert.Matches(@"poe_jobs_processed_total\{[^}]*\} [1-9]", metrics.Output);
        Assert.Contains("# TYPE poe_index_gamma gauge", metrics.Output);
        Assert.All(ComposeStackTests.DashboardMetrics(), name => Assert.Contains($"# TYPE {name} ", metrics.Output, StringComparison.Ordinal)); // compose/grafana's dashboard

        var analytics = await Poe("analytics", "--json");
        Assert.Equal(0, analytics.ExitCode);
        using (var summary = JsonDocument.Parse(analytics.Output))
        {
            Assert.True(summary.RootElement.GetProperty("network")[0].GetProperty("epochs").GetDecimal() >= 1);
            Assert.Equal("cli-m1", summary.RootElement.GetProperty("miners")[0].GetProperty("miner_id").GetString());
            Assert.Equal(JsonValueKind.Array, summary.RootElement.GetProperty("performance").ValueKind);
        }

        // The second job's fee split is published when its epoch closes.
        await WaitUntilAsync(async () => (await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.job_fee_splits FINAL")).Single()["n"] == "2");
        var csvPath = Path.Combine(Path.GetTempPath(), $"poe-stats-{Guid.NewGuid():N}.csv");
        var statistics = await Poe("statistics", "--comprehensive", "--export-csv", csvPath);
        Assert.Equal(0, statistics.ExitCode);
        var csv = await File.ReadAllLinesAsync(csvPath);
        File.Delete(csvPath);
        Assert.Equal("section,name,metric,value", csv[0]);
        Assert.Contains("job_type,DockLockHosting,jobs,1", csv);
        var dailyFees = csv.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^fees,\d{4}-\d{2}-\d{2},total_fee,")).Select(l => decimal.Parse(l.Split(',')[3], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(860m, dailyFees.Sum()); // 850 for the DockLock job, 10 for the compute job
        Assert.Contains(csv, l => l.StartsWith("mints,GEN,supply,100000", StringComparison.Ordinal));

        var salary = await Poe("owner-salary", "report", "--month", "2026-11");
        Assert.NotEqual(0, salary.ExitCode);
        Assert.Contains("no owner-salary report for 2026-11 yet", salary.Output);

        var shown = await Poe("weights");
        Assert.Equal(0, shown.ExitCode);
        Assert.Matches(@"volume\s+│ 0\.3 ", shown.Output);

        var updated = await Poe("weights", "--update", "--volume", "0.35", "--liquidity", "0.2", "--json");
        Assert.Equal(0, updated.ExitCode);
        using var weights = JsonDocument.Parse(updated.Output);
        var weightsEvent = weights.RootElement.GetProperty("governance_event").GetString();
        Assert.Equal(0.35m, weights.RootElement.GetProperty("volume").GetDecimal());

        var policy = await Poe("owner-salary", "policy", "--json");
        Assert.Equal(0, policy.ExitCode);
        using (var current = JsonDocument.Parse(policy.Output))
        {
            Assert.Equal(50_000m, current.RootElement.GetProperty("monthly_cap_usd").GetDecimal());
        }

        var capped = await Poe("owner-salary", "policy", "--update", "--cap", "40000", "--json");
        Assert.Equal(0, capped.ExitCode);
        using var cap = JsonDocument.Parse(capped.Output);
        Assert.Equal(40_000m, cap.RootElement.GetProperty("monthly_cap_usd").GetDecimal());
        Assert.Equal(new[] { weightsEvent, cap.RootElement.GetProperty("governance_event").GetString() }.Order(), TopicKeys.Read(broker.BootstrapServers, PoeTopics.Governance, 2).Order());
        await WaitUntilAsync(async () => (await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.governance_events FINAL")).Single()["n"] == "2");
        Assert.Empty(await store.QueryAsync($"SELECT reason FROM {store.Options.Database}.dead_letters FINAL"));
    }

    [Fact]
    public async Task A_mint_request_is_granted_for_an_active_epoch_and_refused_for_an_idle_one()
    {
        Assert.Equal(0, (await Poe("start-mining", "--miner-id", "mint-m1", "--specialization", "compute")).ExitCode);
        await WaitUntilAsync(async () => (await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.miners FINAL")).Single()["n"] == "1");

        // Published in the first half of a 10 s epoch, the request is for the next one, where the job goes.
        var epochLength = TimeSpan.FromSeconds(10);
        if (DateTimeOffset.UtcNow - EpochWindow.Containing(DateTimeOffset.UtcNow, epochLength).Start > epochLength / 2)
        {
            await Task.Delay(EpochWindow.Containing(DateTimeOffset.UtcNow, epochLength).End - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(100));
        }

        var nextEpoch = EpochWindow.Containing(DateTimeOffset.UtcNow, epochLength).Next;
        var published = await Poe("minting", "--mint", "--token", "nex", "--amount", "5", "--json");
        Assert.Equal(0, published.ExitCode);
        string grantedEvent;
        using (var request = JsonDocument.Parse(published.Output))
        {
            Assert.Equal("published", request.RootElement.GetProperty("status").GetString());
            grantedEvent = request.RootElement.GetProperty("governance_event").GetString()!;
        }

        await Task.Delay(nextEpoch.Start - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await Poe("submit-job", "--miner-id", "mint-m1", "--type", "compute", "--value", "1000000", "--quality", "0.9")).ExitCode);
        await WaitUntilAsync(async () => (await store.QueryAsync($"SELECT count() AS n FROM {store.Options.Database}.mints FINAL WHERE token = 'NEX'")).Single()["n"] != "0");

        var check = await Poe("minting", "--check-eligibility", "--token", "NEX", "--json");
        Assert.Equal(0, check.ExitCode);
        using (var decision = JsonDocument.Parse(check.Output))
        {
            // Φ = 0.3 × 1,000,000 / 1e6 + 0.2 × 0.9 = 0.48, Γ = 0.48 / 1.48: floor8(1000 × Γ) = 324.32432432, plus the 5 granted.
            Assert.Equal(329.32432432m, decision.RootElement[0].GetProperty("amount").GetDecimal());
            Assert.EndsWith($"; governance mint 5 ({grantedEvent})", decision.RootElement[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(nextEpoch.Id, decision.RootElement[0].GetProperty("epoch_id").GetString());
        }

        // Nothing else happens in the next epoch: NEX is not eligible there, and --wait reports the refusal.
        var refused = await Poe("minting", "--mint", "--token", "NEX", "--amount", "5", "--wait", "60", "--json");
        Assert.Equal(6, refused.ExitCode);
        using var answer = JsonDocument.Parse(refused.Output);
        Assert.Equal("refused", answer.RootElement.GetProperty("status").GetString());
        Assert.EndsWith("NEX is not eligible in this epoch (gamma 0 < threshold 0.1)", answer.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    // The closed epoch's rewards prove themselves against the manifest the worker published on
    // poe.reward-manifests, and its claims file verifies offline.
    private async Task ProvesTheRewardsOfTheEpochAsync(string epochId)
    {
        using var registryClient = Contracts.SchemaRegistryClients.Connect(registry.Url);
        var deserializer = new Confluent.SchemaRegistry.Serdes.AvroDeserializer<Contracts.RewardManifest>(registryClient);
        var published = TopicKeys.Records(broker.BootstrapServers, PoeTopics.RewardManifests, read => read.Any(r => r.Key == epochId)).Last(r => r.Key == epochId);
        var manifest = await deserializer.DeserializeAsync(published.Value, false, new Confluent.Kafka.SerializationContext(Confluent.Kafka.MessageComponentType.Value, PoeTopics.RewardManifests));
        Assert.Equal(("poe-rewards-v2", 1L), (manifest.merkle_scheme, manifest.leaf_count));

        var proof = await Poe("rewards", "proof", "--miner-id", "cli-m1", "--epoch", manifest.epoch_id, "--json");
        Assert.True(proof.ExitCode == 0, proof.Output);
        using (var proved = JsonDocument.Parse(proof.Output))
        {
            Assert.Equal(manifest.merkle_root, proved.RootElement.GetProperty("root").GetString());
            Assert.Equal("cli-m1", proved.RootElement.GetProperty("leaf").GetProperty("miner_id").GetString());
        }

        var claimsFile = Path.Combine(Path.GetTempPath(), $"poe-claims-{Guid.NewGuid():N}.json");
        var claims = await Poe("rewards", "claims", "--epoch", manifest.epoch_id, "--out", claimsFile);
        Assert.True(claims.ExitCode == 0, claims.Output);
        var verified = await CliRunner.RunAsync("rewards", "verify", claimsFile);
        Assert.Equal((0, "valid"), (verified.ExitCode, verified.Output.Trim()));
        File.Delete(claimsFile);
    }

    private Task<(int ExitCode, string Output)> Poe(params string[] args) =>
        CliRunner.RunAsync([.. args, "--bootstrap-servers", broker.BootstrapServers, "--schema-registry-url", registry.Url, "--clickhouse-url", LocalClickHouse.ServerUrl, "--clickhouse-database", store.Options.Database]);

    // poe as its own process with its output piped: the width is what a pipe gets, not the test's.
    private async Task<List<string>> PipedAsync(params string[] args)
    {
        var (exitCode, output, errors) = await CliRunner.RunProcessAsync([.. args, "--clickhouse-url", LocalClickHouse.ServerUrl, "--clickhouse-database", store.Options.Database]);
        Assert.True(exitCode == 0, output + errors);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }

    private static Task WaitUntilAsync(Func<Task<bool>> done) => Eventually.HoldsAsync(done, TimeSpan.FromSeconds(90), "the history");
}
