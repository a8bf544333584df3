using PoeStreams.Economics.Indexing;
using PoeStreams.Economics.Time;
using PoeStreams.Topology;
using Prometheus;

namespace PoeStreams.Worker;

/// <summary>The worker's Prometheus metrics, fed by the topology.</summary>
public sealed class PrometheusObserver : ITopologyObserver
{
    private readonly Counter jobsProcessed;
    private readonly Counter deadLetters;
    private readonly Counter redelivered;
    private readonly Counter scoresCalculated;
    private readonly Counter tokensMinted;
    private readonly Gauge activeMiners;
    private readonly Gauge phi;
    private readonly Gauge gamma;
    private readonly Histogram cycleTime;
    private readonly Gauge closeLag;
    private readonly TimeSpan grace;

    public PrometheusObserver(CollectorRegistry registry, TimeSpan grace)
    {
        this.grace = grace;
        var metrics = Metrics.WithCustomRegistry(registry);
        jobsProcessed = metrics.CreateCounter("poe_jobs_processed_total", "Jobs accepted by stage 1.", "status");
        deadLetters = metrics.CreateCounter("poe_dead_letters_total", "Records rejected to poe.dead-letters.", "reason");
        redelivered = metrics.CreateCounter("poe_redelivered_records_total", "Records an earlier stage sent again after a crash or rebalance, recognised and left alone.", "stage");
        scoresCalculated = metrics.CreateCounter("poe_scores_calculated_total", "PoE miner scores calculated at epoch close.");
        tokensMinted = metrics.CreateCounter("poe_tokens_minted_total", "Tokens minted by epoch decisions.", "token");
        activeMiners = metrics.CreateGauge("poe_active_miners", "Active miners in the last closed epoch.");
        phi = metrics.CreateGauge("poe_index_phi", "Phi of the last closed epoch.");
        gamma = metrics.CreateGauge("poe_index_gamma", "Gamma of the last closed epoch.");
        cycleTime = metrics.CreateHistogram(
            "poe_mining_cycle_seconds",
            "Time from an epoch's end to its close (grace included).",
            new HistogramConfiguration { Buckets = Histogram.LinearBuckets(1, 5, 20) });
        closeLag = metrics.CreateGauge("poe_epoch_close_lag_seconds", "How long after end + grace the last epoch closed.");
    }

    public void JobAccepted(bool verified) => jobsProcessed.WithLabels(verified ? "verified" : "unverified").Inc();

    public void DeadLettered(string reason) => deadLetters.WithLabels(reason).Inc();

    public void Redelivered(string stage) => redelivered.WithLabels(stage).Inc();

    public void EpochClosed(EpochWindow epoch, PoeIndex index, int activeMinerCount, IReadOnlyDictionary<string, decimal> minted, decimal unallocated, TimeSpan lag)
    {
        scoresCalculated.Inc(activeMinerCount);
        activeMiners.Set(activeMinerCount);
        phi.Set((double)index.Phi);
        gamma.Set((double)index.Gamma);
        foreach (var (token, amount) in minted)
        {
            tokensMinted.WithLabels(token).Inc((double)amount);
        }

        closeLag.Set(Math.Max(0, lag.TotalSeconds));
        cycleTime.Observe(Math.Max(0, (grace + lag).TotalSeconds));
    }
}
