using Avro.Specific;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PoeStreams.Contracts;
using PoeStreams.Topology;

namespace PoeStreams.Worker.IntegrationTests;

/// <summary>A Kafka environment with the product's topics, a worker that can be started and stopped, a producer and an output reader.</summary>
public sealed class PoeCluster : IAsyncDisposable
{
    private readonly ISchemaRegistryClient registry;
    private readonly IProducer<string, byte[]> producer;
    private readonly Dictionary<string, string> settings;
    private readonly int partitions;
    private IHost? worker;

    private PoeCluster(KafkaEnvironment kafka, Dictionary<string, string> settings, int partitions)
    {
        Kafka = kafka;
        this.settings = settings;
        this.partitions = partitions;
        registry = SchemaRegistryClients.Connect(kafka.SchemaRegistryUrl);
        producer = new ProducerBuilder<string, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, LingerMs = 5, Partitioner = Partitioner.Murmur2Random }).Build();
    }

    public KafkaEnvironment Kafka { get; }

    public static async Task<PoeCluster> StartAsync(int graceSeconds, int partitions = 4, int metricsPort = 0)
    {
        var applicationId = $"poe-it-{Guid.NewGuid():N}"[..20];
        var settings = new Dictionary<string, string>
        {
            ["APPLICATION_ID"] = applicationId,
            ["PARTITIONS"] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GRACE_SECONDS"] = graceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["METRICS_PORT"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SESSION_TIMEOUT_MS"] = "6000",
            ["STATE_DIR"] = Path.Combine(Path.GetTempPath(), applicationId),
        };
        var topology = new PoeTopologyOptions { ApplicationId = applicationId, Partitions = partitions };
        var kafka = await KafkaEnvironment.StartAsync(TopicCatalog.For(topology.Partitions, topology.ApplicationId));
        settings["BOOTSTRAP_SERVERS"] = kafka.BootstrapServers;
        settings["SCHEMA_REGISTRY_URL"] = kafka.SchemaRegistryUrl;
        return new PoeCluster(kafka, settings, partitions);
    }

    public async Task StartWorkerAsync() => worker = await StartInstanceAsync(settings["STATE_DIR"]);

    /// <summary>A worker of this application as a process of its own, logging to <paramref name="logPath"/>.</summary>
    public WorkerProcess StartWorkerProcess(string logPath) => WorkerProcess.Start(settings, logPath);

    /// <summary>Another worker instance of the same application (its own state directory): the group rebalances its tasks.</summary>
    public Task<IHost> StartAnotherWorkerAsync() => StartInstanceAsync(settings["STATE_DIR"] + $"-{Guid.NewGuid():N}");

    private async Task<IHost> StartInstanceAsync(string stateDirectory)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string>(settings) { ["STATE_DIR"] = stateDirectory }!).Build();
        var host = WorkerHost.Build(configuration, logging: l => l.SetMinimumLevel(Environment.GetEnvironmentVariable("POE_TEST_LOG_LEVEL") is { } level ? Enum.Parse<LogLevel>(level) : LogLevel.Warning));
        await host.StartAsync();
        return host;
    }

    public async Task StopWorkerAsync()
    {
        if (worker is not null)
        {
            await worker.StopAsync();
            worker.Dispose();
            worker = null;
        }
    }

    /// <summary>Produces <paramref name="value"/> with the record timestamp set to its event time, as upstream systems do.</summary>
    public void Produce<T>(string topic, string key, T value, DateTimeOffset eventTime)
        where T : class, ISpecificRecord =>
        ProduceBytes(topic, key, new AvroSerializer<T>(registry).AsSyncOverAsync().Serialize(value, new SerializationContext(MessageComponentType.Value, topic)), eventTime);

    public void ProduceBytes(string topic, string key, byte[] value, DateTimeOffset timestamp) =>
        producer.Produce(topic, new Message<string, byte[]> { Key = key, Value = value, Timestamp = new Timestamp(timestamp) });

    public void Flush() => producer.Flush(TimeSpan.FromSeconds(30));

    /// <summary>Produces a scenario record with its record time.</summary>
    public void Produce(ScenarioRecord record) => ProduceBytes(record.Topic, record.Key, record.Bytes(registry), record.At);

    // An epoch closes once every input partition has passed its end + grace, so every partition of every
    // input topic gets a record of that time that changes no compared output: an uptime sample (in the
    // next phase's first epoch, in both runs), a miner that never works, a job of an unknown miner, an
    // empty vault and the approval of a month that is never reported.
    public void ProduceClosers(DateTimeOffset at)
    {
        foreach (var record in Closers(at))
        {
            Produce(record);
        }

        Flush();
    }

    /// <summary>The records of <see cref="ProduceClosers"/>, to mix into a scenario.</summary>
    public List<ScenarioRecord> Closers(DateTimeOffset at) => Scenarios.Closers(at, partitions);

    /// <summary>The worker's stream state, for failure messages.</summary>
    public string Describe() => $"worker: {(worker is null ? "stopped" : $"{Service.State}, {Service.Restarts} restart(s)")}";

    /// <summary>Waits until <paramref name="host"/> (the worker when null) runs with every store restored, i.e. a rebalance has finished.</summary>
    public Task WaitUntilRunningAsync(IHost? host = null)
    {
        var stream = host?.Services.GetRequiredService<PoeStreamsService>() ?? Service;
        return Eventually.HoldsAsync(() => Task.FromResult(stream.IsRunning), TimeSpan.FromSeconds(90), "a running worker with its stores restored");
    }

    /// <summary>The running worker's stream service (its state, restarts and current stream).</summary>
    public PoeStreamsService Service => worker!.Services.GetRequiredService<PoeStreamsService>();

    /// <summary>What the running worker knows of its position in the partitions it reads.</summary>
    public InputBacklogProbe Backlog => worker!.Services.GetRequiredService<InputBacklogProbe>();

    /// <summary>Whether the running worker stopped itself within <paramref name="timeout"/>.</summary>
    public async Task<bool> WorkerStopsItselfAsync(TimeSpan timeout)
    {
        var stopping = worker!.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        await Task.Delay(timeout, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
        return stopping.IsCancellationRequested;
    }

    public OutputReader Outputs(params string[] topics) => new(Kafka.BootstrapServers, registry, topics);

    public async ValueTask DisposeAsync()
    {
        await StopWorkerAsync();
        producer.Dispose();
        registry.Dispose();
        await Kafka.DisposeAsync();
    }
}

/// <summary>Reads output topics from the beginning and keeps every record seen.</summary>
public sealed class OutputReader : IDisposable
{
    private readonly IConsumer<string, byte[]> consumer;
    private readonly ISchemaRegistryClient registry;

    public OutputReader(string bootstrapServers, ISchemaRegistryClient registry, string[] topics)
    {
        this.registry = registry;
        consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topics);
    }

    public List<(string Topic, string Key, byte[] Value)> Records { get; } = [];

    /// <summary>Consumes until <paramref name="done"/> holds or <paramref name="timeout"/> passes; fails with what was seen.</summary>
    public void WaitUntil(Func<OutputReader, bool> done, TimeSpan timeout, string what) => WaitUntil(done, timeout, () => what);

    /// <summary>As above, with <paramref name="what"/> described when it fails (e.g. with the workers' states then).</summary>
    public void WaitUntil(Func<OutputReader, bool> done, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join(", ", Records.GroupBy(r => r.Topic).Select(g => $"{g.Key}: {g.Count()}"));
                Assert.Fail($"Timed out after {timeout} waiting for {what()}; seen {(seen.Length == 0 ? "nothing" : seen)}");
            }

            // Everything available, then the check: checking after every record is quadratic in a large run.
            var wait = TimeSpan.FromMilliseconds(200);
            for (var read = 0; read < 10_000 && consumer.Consume(wait) is { } result; read++)
            {
                Records.Add((result.Topic, result.Message.Key, result.Message.Value));
                wait = TimeSpan.Zero;
            }
        }
    }

    /// <summary>Consumes until nothing has arrived for <paramref name="quiet"/>.</summary>
    public void ReadUntilQuiet(TimeSpan quiet)
    {
        while (consumer.Consume(quiet) is { } result)
        {
            Records.Add((result.Topic, result.Message.Key, result.Message.Value));
        }
    }

    public int Count(string topic) => Records.Count(r => r.Topic == topic);

    public IEnumerable<string> Keys(string topic) => Records.Where(r => r.Topic == topic).Select(r => r.Key);

    public List<(string Key, T Value)> Read<T>(string topic)
        where T : class, ISpecificRecord
    {
        var deserializer = new AvroDeserializer<T>(registry).AsSyncOverAsync();
        return Records.Where(r => r.Topic == topic)
            .Select(r => (r.Key, deserializer.Deserialize(r.Value, false, new SerializationContext(MessageComponentType.Value, topic))))
            .ToList();
    }

    /// <summary>The last value per key of <paramref name="topic"/> (what a compacted topic keeps).</summary>
    public SortedDictionary<string, string> Latest(string topic)
    {
        var latest = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in Records.Where(r => r.Topic == topic))
        {
            latest[record.Key] = Convert.ToHexString(record.Value);
        }

        return latest;
    }

    /// <summary>Every distinct value per key of <paramref name="topic"/> (more than one when a key was sent with different values).</summary>
    public SortedDictionary<string, HashSet<string>> Distinct(string topic)
    {
        var values = new SortedDictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var record in Records.Where(r => r.Topic == topic))
        {
            (values.TryGetValue(record.Key, out var seen) ? seen : values[record.Key] = []).Add(Convert.ToHexString(record.Value));
        }

        return values;
    }

    public void Dispose()
    {
        consumer.Close();
        consumer.Dispose();
    }
}
