using System.Net;
using PoeStreams.Contracts;

namespace PoeStreams.Worker.IntegrationTests;

public class MonitoringTests
{
    private static readonly DateTimeOffset B = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Metrics_and_health_are_served_on_loopback()
    {
        var port = Ports.Free();
        await using var cluster = await PoeCluster.StartAsync(graceSeconds: EndToEndTests.IdleGraceSeconds, metricsPort: port);
        await cluster.StartWorkerAsync();
        using var outputs = cluster.Outputs(PoeTopics.Sequenced, PoeTopics.JobFees, PoeTopics.RewardManifests, PoeTopics.DeadLetters);
        cluster.Produce(PoeTopics.Miners, "m1", Inputs.Miner("m1", null, B), B);
        cluster.Flush();
        outputs.WaitUntil(o => o.Count(PoeTopics.Sequenced) >= 1, TimeSpan.FromSeconds(60), "the registration");
        cluster.Produce(PoeTopics.Jobs, "m1", Inputs.Job("j1", "m1", 1_000m, 0.5m, B.AddSeconds(1)), B.AddSeconds(1));
        cluster.Produce(PoeTopics.Jobs, "m1", Inputs.Job("j2", "m1", -1m, 0.5m, B.AddSeconds(2)), B.AddSeconds(2));

        // Φ = 0.3 × 1,000 / 1e6 + 0.25 × 1.0 (uptime) + 0.2 × 0.5 (job quality) = 0.3503, so NEX is minted.
        cluster.Produce(PoeTopics.NetworkMetrics, "up", Inputs.Metric("up", MetricKind.Uptime, 1m, B.AddSeconds(3)), B.AddSeconds(3));
        cluster.Flush();
        outputs.WaitUntil(o => o.Count(PoeTopics.RewardManifests) >= 1 && o.Count(PoeTopics.DeadLetters) >= 1, TimeSpan.FromSeconds(120), "the epoch and the dead letter");

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var metrics = await http.GetStringAsync("/metrics");
        var health = await http.GetAsync("/health");

        Assert.Contains("poe_jobs_processed_total{status=\"verified\"} 1", metrics);
        Assert.Contains("poe_dead_letters_total{reason=\"negative-value\"} 1", metrics);
        Assert.Contains("poe_scores_calculated_total 1", metrics);
        Assert.Contains("poe_tokens_minted_total{token=\"NEX\"} 259.42383174", metrics); // floor8(1000 × 0.3503 / 1.3503)
        Assert.Contains("poe_index_phi 0.3503", metrics);
        Assert.Contains("poe_mining_cycle_seconds_count", metrics);
        Assert.Contains("poe_consumer_lag_records{topic=\"poe.jobs\"}", metrics);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("RUNNING", (await health.Content.ReadAsStringAsync()).Trim());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/other")).StatusCode);
    }
}
