using PoeStreams.Contracts;

namespace PoeStreams.Cli.UnitTests;

public class LoadGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_same_seed_gives_the_same_records()
    {
        Assert.Equal(Serialized(seed: 7), Serialized(seed: 7));
        Assert.NotEqual(Serialized(seed: 7), Serialized(seed: 8));
    }

    [Fact]
    public void Miners_register_with_a_specialization_each()
    {
        var registrations = new LoadGenerator(1, miners: 12, badShare: 0).Registrations(Start).ToList();

        Assert.Equal(12, registrations.Count);
        Assert.All(registrations, r => Assert.Equal("poe.miners", r.Topic));
        Assert.Equal(10, registrations.Select(r => ((MinerRegistered)r.Value!).specialization).Distinct().Count());
    }

    [Fact]
    public void The_load_covers_every_job_type_metric_kind_and_gold()
    {
        var generator = new LoadGenerator(3, miners: 20, badShare: 0);
        var records = Enumerable.Range(0, 5_000).Select(i => generator.Next(Start.AddMilliseconds(i))).ToList();

        var jobs = records.Select(r => r.Value).OfType<EconomicJob>().ToList();
        Assert.Equal(10, jobs.Select(j => j.job_type).Distinct().Count());
        Assert.Equal(4, jobs.Select(j => j.status).Distinct().Count());
        Assert.All(jobs.Where(j => j.job_type == JobType.DockLockHosting), j => Assert.NotEmpty(j.revenue_streams));
        Assert.Equal(4, records.Select(r => r.Value).OfType<NetworkMetric>().Select(m => m.kind).Distinct().Count());
        Assert.Contains(records, r => r.Value is GoldReserveAttestation);
        Assert.All(jobs, j => Assert.InRange(WireDecimal.FromAvro(j.quality_score), 0m, 1m));
        Assert.DoesNotContain(records, r => r.RawBytes is not null);
    }

    [Fact]
    public void The_bad_share_produces_about_that_many_invalid_records()
    {
        var generator = new LoadGenerator(5, miners: 20, badShare: 0.1);
        var records = Enumerable.Range(0, 5_000).Select(i => generator.Next(Start)).ToList();

        var bad = records.Count(r => r.RawBytes is not null
            || r.Value is EconomicJob job && (WireDecimal.FromAvro(job.job_value) < 0 || WireDecimal.FromAvro(job.quality_score) > 1 || job.miner_id == "unregistered-miner"));
        Assert.InRange(bad, 400, 600);
    }

    private static List<string> Serialized(int seed)
    {
        var serializer = new ContractSerializer(InProcessSchemaRegistry.WithContracts());
        var generator = new LoadGenerator(seed, miners: 10, badShare: 0.05);
        return Enumerable.Range(0, 300)
            .Select(i => generator.Next(Start.AddSeconds(i)))
            .Select(r => $"{r.Topic}|{r.Key}|{Convert.ToHexString(r.RawBytes ?? serializer.Serialize(r.Topic, r.Value!))}")
            .ToList();
    }
}
