using PoeStreams.Contracts;

namespace PoeStreams.Cli;

/// <summary>One record to publish: topic, key and either an Avro value or raw (deliberately bad) bytes.</summary>
public sealed record GeneratedRecord(string Topic, string Key, Avro.Specific.ISpecificRecord? Value, byte[]? RawBytes, DateTimeOffset EventTime);

/// <summary>
/// A realistic, reproducible stream of the economy's inputs: the same seed gives the same sequence of
/// records (with times taken from the clock it is driven by). Miners register first, each with a
/// specialization; then jobs of all ten types (most of a miner's jobs in its specialization, DockLock
/// hosting jobs with revenue streams), network metrics of every kind and gold attestations follow,
/// with a chosen share of invalid records that the worker must dead-letter.
/// </summary>
public sealed class LoadGenerator(int seed, int miners, double badShare)
{
    private static readonly JobType[] JobTypes = Enum.GetValues<JobType>();
    private readonly Random random = new(seed);
    private long sequence;

    public static string MinerId(int index) => $"miner-{index:D4}";

    public IEnumerable<GeneratedRecord> Registrations(DateTimeOffset at) =>
        Enumerable.Range(0, miners).Select(i => new GeneratedRecord(
            "poe.miners",
            MinerId(i),
            new MinerRegistered { miner_id = MinerId(i), specialization = JobTypes[i % JobTypes.Length], registered_at = at.UtcDateTime },
            null,
            at));

    /// <summary>The next record at <paramref name="at"/>: mostly jobs, some metrics, now and then gold.</summary>
    public GeneratedRecord Next(DateTimeOffset at)
    {
        sequence++;
        if (random.NextDouble() < badShare)
        {
            return Bad(at);
        }

        var roll = random.Next(100);
        return roll switch
        {
            < 80 => new GeneratedRecord("poe.jobs", MinerOf(out var miner), Job(miner, at), null, at),
            < 98 => Metric(at),
            _ => Gold(at),
        };
    }

    private string MinerOf(out int index)
    {
        index = random.Next(miners);
        return MinerId(index);
    }

    private EconomicJob Job(int miner, DateTimeOffset at)
    {
        var specialization = JobTypes[miner % JobTypes.Length];
        var type = random.NextDouble() < 0.6 ? specialization : JobTypes[random.Next(JobTypes.Length)];
        var statusRoll = random.Next(100);
        var status = statusRoll switch
        {
            < 90 => VerificationStatus.Verified,
            < 95 => VerificationStatus.Pending,
            < 98 => VerificationStatus.Failed,
            _ => VerificationStatus.Disputed,
        };
        return new EconomicJob
        {
            job_id = $"job-{seed:X}-{sequence:D9}",
            miner_id = MinerId(miner),
            job_type = type,
            job_value = WireDecimal.ToAvro(Math.Round(10m + ((decimal)Math.Pow(random.NextDouble(), 3) * 4_990m), 2)),
            quality_score = WireDecimal.ToAvro(Math.Round(0.5m + ((decimal)random.NextDouble() * 0.5m), 3)),
            status = status,
            completion_time = at.UtcDateTime,
            revenue_streams = type == JobType.DockLockHosting ? RevenueStreams() : [],
        };
    }

    private List<RevenueStream> RevenueStreams() =>
        Enumerable.Range(0, random.Next(1, 4)).Select(_ =>
        {
            var kind = (RevenueStreamType)random.Next(5);
            var (quantity, price) = kind switch
            {
                RevenueStreamType.ContainerHosting => (random.Next(1, 720), 0.05m + (random.Next(0, 100) / 100m)),   // hours × hourly rate
                RevenueStreamType.ComputeResources => (random.Next(10, 5_000), 0.01m + (random.Next(0, 50) / 1000m)), // usage × unit price
                RevenueStreamType.NetworkBandwidth => (random.Next(1, 2_000), 0.02m + (random.Next(0, 10) / 100m)),  // GB × GB price
                RevenueStreamType.StorageServices => (random.Next(1, 10_000), 0.01m + (random.Next(0, 3) / 100m)),   // GB × monthly rate
                _ => (random.Next(1_000, 1_000_000), 0.0001m),                                                        // requests × fee
            };
            return new RevenueStream { stream_type = kind, quantity = WireDecimal.ToAvro(quantity), unit_price = WireDecimal.ToAvro(price) };
        }).ToList();

    private GeneratedRecord Metric(DateTimeOffset at)
    {
        var source = $"probe-{random.Next(8)}";
        var kind = (MetricKind)random.Next(4);
        var metric = new NetworkMetric { source_id = source, kind = kind, timestamp = at.UtcDateTime };
        switch (kind)
        {
            case MetricKind.LiquidityDelta:
                metric.value = WireDecimal.ToAvro(random.Next(-5_000, 15_000));
                break;
            case MetricKind.Uptime:
                metric.value = WireDecimal.ToAvro(Math.Round(0.95m + ((decimal)random.NextDouble() * 0.05m), 4));
                break;
            case MetricKind.ServiceQuality:
                metric.value = WireDecimal.ToAvro(Math.Round(0.8m + ((decimal)random.NextDouble() * 0.2m), 4));
                break;
            default:
                metric.network_load = new NetworkLoad
                {
                    pending_tx = random.Next(50_000, 300_000),
                    avg_gas_price = WireDecimal.ToAvro(Math.Round(0.1m + ((decimal)random.NextDouble() * 0.9m), 4)),
                    queue_length = random.Next(500, 5_000),
                    tx_fee = WireDecimal.ToAvro(Math.Round(0.1m + ((decimal)random.NextDouble() * 0.4m), 4)),
                };
                break;
        }

        return new GeneratedRecord("poe.network-metrics", source, metric, null, at);
    }

    private GeneratedRecord Gold(DateTimeOffset at)
    {
        var vault = $"vault-{random.Next(3)}";
        var attestation = new GoldReserveAttestation { vault_id = vault, gold_units = WireDecimal.ToAvro(1_000m + random.Next(0, 500)), attested_at = at.UtcDateTime, auditor = "demo-auditor" };
        return new GeneratedRecord("poe.gold-reserves", vault, attestation, null, at);
    }

    // The kinds of mistakes upstream systems make; each must end in poe.dead-letters.
    private GeneratedRecord Bad(DateTimeOffset at)
    {
        var miner = MinerOf(out var index);
        var job = Job(index, at);
        switch (random.Next(4))
        {
            case 0:
                var garbage = new byte[random.Next(1, 32)];
                random.NextBytes(garbage);
                return new GeneratedRecord("poe.jobs", miner, null, garbage, at);
            case 1:
                job.job_value = WireDecimal.ToAvro(-1m);
                break;
            case 2:
                job.quality_score = WireDecimal.ToAvro(1.5m);
                break;
            default:
                job.miner_id = "unregistered-miner";
                return new GeneratedRecord("poe.jobs", "unregistered-miner", job, null, at);
        }

        return new GeneratedRecord("poe.jobs", miner, job, null, at);
    }
}
