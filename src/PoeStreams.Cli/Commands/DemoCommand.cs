using System.ComponentModel;
using Confluent.Kafka;
using Confluent.Kafka.SyncOverAsync;
using Confluent.SchemaRegistry;
using Confluent.SchemaRegistry.Serdes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using PoeStreams.Contracts;
using PoeStreams.LocalKafka;
using PoeStreams.Worker;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary>
/// <c>poe demo</c> (what <c>make run</c> runs): the local broker, the worker and a live load, with a line
/// per closed epoch. Ctrl-C stops everything it started.
/// </summary>
public sealed class DemoCommand(TimeProvider clock) : AsyncCommand<DemoCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--port <PORT>")]
        [Description("Port of the local broker (default 9092).")]
        public int Port { get; init; } = 9092;

        [CommandOption("--registry-port <PORT>")]
        [Description("Port of the local schema registry (default 8081).")]
        public int RegistryPort { get; init; } = 8081;

        [CommandOption("--epoch-seconds <N>")]
        [Description("Epoch length for the demo (default 20; production uses the YAML's 300).")]
        public int EpochSeconds { get; init; } = 20;

        [CommandOption("--grace-seconds <N>")]
        [Description("Grace period for the demo (default 5).")]
        public int GraceSeconds { get; init; } = 5;

        [CommandOption("--rate <PER_SECOND>")]
        [Description("Generated records per second (default 200).")]
        public int Rate { get; init; } = 200;

        [CommandOption("--miners <N>")]
        [Description("Miners the generator registers (default 20).")]
        public int Miners { get; init; } = 20;

        [CommandOption("--metrics-port <PORT>")]
        [Description("Port of the worker's /metrics and /health on 127.0.0.1 (default 9464; 0 turns it off).")]
        public int MetricsPort { get; init; } = 9464;

        [CommandOption("--clickhouse-url <URL>")]
        [Description("ClickHouse to fill with the history (make run passes the local server); off when absent.")]
        public string? ClickHouseUrl { get; init; }

        [CommandOption("--duration <SECONDS>")]
        [Description("Stop after this long; 0 runs until Ctrl-C (default 0).")]
        public int Duration { get; init; }

        public override ValidationResult Validate() =>
            Port is < 1 or > 65535 ? ValidationResult.Error($"--port must be between 1 and 65535, got {Port}")
            : RegistryPort is < 1 or > 65535 || RegistryPort == Port ? ValidationResult.Error($"--registry-port must be between 1 and 65535 and not --port, got {RegistryPort}")
            : EpochSeconds < 1 || 86_400 % EpochSeconds != 0 ? ValidationResult.Error($"--epoch-seconds must divide a day (86400), got {EpochSeconds}")
            : GraceSeconds < 0 ? ValidationResult.Error($"--grace-seconds must not be negative, got {GraceSeconds}")
            : Rate < 1 ? ValidationResult.Error($"--rate must be at least 1, got {Rate}")
            : Miners < 1 ? ValidationResult.Error($"--miners must be at least 1, got {Miners}")
            : Duration < 0 ? ValidationResult.Error($"--duration must not be negative, got {Duration}")
            : ClickHouseUrl is not null && !Uri.TryCreate(ClickHouseUrl, UriKind.Absolute, out _) ? ValidationResult.Error($"--clickhouse-url must be an absolute URL, got '{ClickHouseUrl}'")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var deadline = settings.Duration > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(settings.Duration), clock) : new CancellationTokenSource();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);

        const string applicationId = "poe-streams";
        const int partitions = 4;
        var topics = TopicCatalog.For(partitions, applicationId);

        AnsiConsole.MarkupLine("[bold]PoeStreams demo[/]: local broker, worker and a live load. Ctrl-C stops everything.");
        await using var broker = DevBrokerCommand.StartBroker(topics, settings.Port);
        AnsiConsole.MarkupLineInterpolated($"[green]✓[/] local broker on {broker.BootstrapServers} ({topics.Count} topics)");
        DevBrokerCommand.WriteRetention();
        await using var schemaRegistry = LocalSchemaRegistry.WithCatalog(settings.RegistryPort);
        AnsiConsole.MarkupLineInterpolated($"[green]✓[/] schema registry on {schemaRegistry.Url} (Confluent's REST API)");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["BOOTSTRAP_SERVERS"] = broker.BootstrapServers,
            ["SCHEMA_REGISTRY_URL"] = schemaRegistry.Url,
            ["APPLICATION_ID"] = applicationId,
            ["PARTITIONS"] = partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["EPOCH_SECONDS"] = settings.EpochSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["GRACE_SECONDS"] = settings.GraceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["METRICS_PORT"] = settings.MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["SESSION_TIMEOUT_MS"] = "6000",
            ["STATE_DIR"] = Path.Combine(Path.GetTempPath(), $"poe-demo-{Environment.ProcessId}"),
            ["CLICKHOUSE_URL"] = settings.ClickHouseUrl,
        }).Build();
        using var worker = WorkerHost.Build(configuration, clock, logging => logging.SetMinimumLevel(LogLevel.Warning));
        await worker.StartAsync(stop.Token);
        AnsiConsole.MarkupLineInterpolated($"[green]✓[/] worker started (epochs of {settings.EpochSeconds} s, grace {settings.GraceSeconds} s)");
        if (settings.ClickHouseUrl is { } clickHouse)
        {
            Console.WriteLine($"  history: ClickHouse at {clickHouse}, database poe (try: clickhouse-client -q 'SELECT * FROM poe.index_per_epoch ORDER BY epoch_id')");
        }
        if (settings.MetricsPort > 0)
        {
            Console.WriteLine($"  metrics: http://127.0.0.1:{settings.MetricsPort}/metrics   health: http://127.0.0.1:{settings.MetricsPort}/health");
        }

        using var registry = SchemaRegistryClients.Connect(schemaRegistry.Url);
        using var publisher = new RecordPublisher(broker.BootstrapServers, registry);
        var load = Task.Run(() => GenerateCommand.RunAsync(
            publisher,
            new GenerateCommand.Settings { Miners = settings.Miners, Rate = settings.Rate, Duration = 0, BadShare = 0.01, Seed = 42 },
            backfillStart: null,
            clock,
            stop.Token));
        AnsiConsole.MarkupLineInterpolated($"[green]✓[/] generating {settings.Rate} records/s from {settings.Miners} miners (1% invalid)");
        AnsiConsole.MarkupLine("[grey]Waiting for the first epoch to close…[/]");

        await Task.Run(() => PrintEpochs(broker.BootstrapServers, registry, stop.Token), CancellationToken.None);
        var sent = await load;
        AnsiConsole.MarkupLineInterpolated($"Stopping: {sent} records published; closing the worker and the broker.");
        await worker.StopAsync(CancellationToken.None);
        return 0;
    }

    // One line per closed epoch: its index, manifest and mints, and the dead letters seen meanwhile.
    private static void PrintEpochs(string bootstrapServers, ISchemaRegistryClient registry, CancellationToken stop)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"poe-demo-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Error,
            EnableAutoCommit = false,
        })
            .SetPartitionsAssignedHandler((_, partitions) => partitions.Select(p => new TopicPartitionOffset(p, Offset.Beginning)))
            .Build();
        consumer.Subscribe([PoeTopics.Index, PoeTopics.RewardManifests, PoeTopics.Mints, PoeTopics.DeadLetters]);
        var epochs = new SortedDictionary<string, EpochLine>(StringComparer.Ordinal);
        var deadLetters = 0;
        while (!stop.IsCancellationRequested)
        {
            ConsumeResult<string, byte[]>? result;
            try
            {
                result = consumer.Consume(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.Local_AutoOffsetReset)
            {
                // The broker's retention passed the printer (never a silent jump): say so once and stop printing.
                Console.WriteLine($"demo: stopped printing epochs: the broker deleted records before they were read ({e.Error.Reason})");
                break;
            }

            var context = new SerializationContext(MessageComponentType.Value, result.Topic);
            switch (result.Topic)
            {
                case PoeTopics.DeadLetters:
                    deadLetters++;
                    continue;
                case PoeTopics.Index:
                    var index = new AvroDeserializer<PoeIndexSnapshot>(registry).AsSyncOverAsync().Deserialize(result.Message.Value, false, context);
                    Line(epochs, index.epoch_id).Index = index;
                    break;
                case PoeTopics.RewardManifests:
                    var manifest = new AvroDeserializer<RewardManifest>(registry).AsSyncOverAsync().Deserialize(result.Message.Value, false, context);
                    Line(epochs, manifest.epoch_id).Manifest = manifest;
                    break;
                default:
                    var mint = new AvroDeserializer<MintDecision>(registry).AsSyncOverAsync().Deserialize(result.Message.Value, false, context);
                    Line(epochs, mint.epoch_id).Minted[mint.token] = WireDecimal.FromAvro(mint.amount);
                    break;
            }

            foreach (var (epoch, line) in epochs.Where(e => e.Value.IsComplete).ToList())
            {
                var minted = line.Minted;

                // Plain text: one line per epoch however narrow the terminal, easy to grep.
                Console.WriteLine(string.Create(
                    System.Globalization.CultureInfo.InvariantCulture,
                    $"epoch {epoch}  Φ {Fmt(line.Index!.phi)}  Γ {Fmt(line.Index.gamma)}  jobs {line.Index.verified_jobs}  miners {line.Index.active_miners}  NEX {minted[TokenSymbol.NEX]:0.########}  FLX {minted[TokenSymbol.FLX]:0.########}  AUR {minted[TokenSymbol.AUR]:0.########}  unallocated {WireDecimal.FromAvro(line.Manifest!.unallocated):0.########}  dead letters so far {deadLetters}"));
                epochs.Remove(epoch);
            }
        }

        consumer.Close();
    }

    private static EpochLine Line(SortedDictionary<string, EpochLine> epochs, string epoch) =>
        epochs.TryGetValue(epoch, out var line) ? line : epochs[epoch] = new EpochLine();

    private static string Fmt(Avro.AvroDecimal value) => WireDecimal.FromAvro(value).ToString("0.000000", System.Globalization.CultureInfo.InvariantCulture);

    private sealed class EpochLine
    {
        public PoeIndexSnapshot? Index { get; set; }

        public RewardManifest? Manifest { get; set; }

        public Dictionary<TokenSymbol, decimal> Minted { get; } = [];

        public bool IsComplete => Index is not null && Manifest is not null && Minted.Count == 4;
    }
}
