using System.ComponentModel;
using Confluent.Kafka;
using PoeStreams.Contracts;
using PoeStreams.Topology;
using PoeStreams.Topology.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary><c>poe start-mining</c>: registers a miner on poe.miners and reports when the worker saw it.</summary>
public sealed class StartMiningCommand(TimeProvider clock) : AsyncCommand<StartMiningCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--miner-id <ID>")]
        [Description("The miner to register (letters, digits, - _ . :, at most 128).")]
        public string? MinerId { get; init; }

        [CommandOption("--specialization <TYPE>")]
        [Description("Job type the miner specialises in (e.g. compute, DockLockHosting).")]
        public string? Specialization { get; init; }

        [CommandOption("--timeout <SECONDS>")]
        [Description("How long to wait for the worker to see the registration (default 30).")]
        public int Timeout { get; init; } = 30;

        public override ValidationResult Validate() =>
            !Arguments.IsMinerId(MinerId) ? Arguments.MinerIdRefused(MinerId)
            : !Arguments.TryJobType(Specialization, out _) ? ValidationResult.Error($"--specialization must be one of {Arguments.JobTypeNames}, got '{Specialization}'")
            : Timeout < 1 ? ValidationResult.Error($"--timeout must be at least 1, got {Timeout}")
            : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Arguments.TryJobType(settings.Specialization, out var specialization);
        var now = clock.GetUtcNow();
        using var watch = SequencedWatch.Open(settings.BootstrapServers);
        var started = clock.GetTimestamp();
        using (var publisher = settings.Publisher())
        {
            publisher.Publish(PoeTopics.Miners, settings.MinerId!, new MinerRegistered
            {
                miner_id = settings.MinerId!,
                specialization = Enum.Parse<JobType>(specialization.ToString()),
                registered_at = now.UtcDateTime,
            }, now);
            publisher.Confirm();
        }

        var seen = watch.WaitFor(e => e.Kind == SequencedKind.MinerRegistered && e.Registration!.MinerId == settings.MinerId, TimeSpan.FromSeconds(settings.Timeout), clock, cancellationToken);
        var visibleAfter = (long)clock.GetElapsedTime(started).TotalMilliseconds;
        if (settings.Json)
        {
            OperatorSettings.WriteJson(new { miner_id = settings.MinerId, specialization = specialization.ToString(), registered_at = now, visible_to_worker = seen, visible_after_ms = seen ? visibleAfter : (long?)null });
        }
        else if (seen)
        {
            AnsiConsole.MarkupLineInterpolated($"Registered [bold]{settings.MinerId}[/] (specialization {specialization}); visible to the worker after {visibleAfter} ms.");
        }
        else
        {
            AnsiConsole.MarkupLineInterpolated($"Registered [bold]{settings.MinerId}[/] (specialization {specialization}); the worker has not seen it within {settings.Timeout} s — is it running?");
        }

        return Task.FromResult(seen ? 0 : 4);
    }
}

/// <summary>Watches <see cref="PoeTopics.Sequenced"/> from its current end: what the worker has accepted from now on.</summary>
internal sealed class SequencedWatch : IDisposable
{
    private readonly IConsumer<string, byte[]> consumer;

    private SequencedWatch(IConsumer<string, byte[]> consumer) => this.consumer = consumer;

    public static SequencedWatch Open(string bootstrapServers)
    {
        // Never a silent jump: a position the broker's retention has passed is an error, not a reset.
        var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"poe-cli-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Error,
        }).SetLogHandler(KafkaLogs.Quiet).Build();
        var metadata = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).SetLogHandler(KafkaLogs.Quiet).Build();
        using (metadata)
        try
        {
            var partitions = metadata.GetMetadata(PoeTopics.Sequenced, TimeSpan.FromSeconds(10)).Topics.Single().Partitions
                .Select(p => new TopicPartition(PoeTopics.Sequenced, p.PartitionId))
                .Select(tp => new TopicPartitionOffset(tp, consumer.QueryWatermarkOffsets(tp, TimeSpan.FromSeconds(10)).High))
                .ToList();
            consumer.Assign(partitions);
        }
        catch (KafkaException e)
        {
            consumer.Dispose();
            throw new InvalidOperationException($"the broker at {bootstrapServers} is not reachable ({e.Error.Reason}); nothing was published", e);
        }

        return new SequencedWatch(consumer);
    }

    public bool WaitFor(Func<SequencedEvent, bool> match, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        while (clock.GetElapsedTime(started) < timeout && !cancellationToken.IsCancellationRequested)
        {
            ConsumeResult<string, byte[]>? record;
            try
            {
                record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            }
            catch (ConsumeException e) when (e.Error.Code == ErrorCode.Local_AutoOffsetReset)
            {
                throw new InvalidOperationException($"{PoeTopics.Sequenced}: the broker deleted records before they were read ({e.Error.Reason}); nothing was skipped", e);
            }

            if (record is not null && match(Json.Deserialize<SequencedEvent>(record.Message.Value)))
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        consumer.Close();
        consumer.Dispose();
    }
}
