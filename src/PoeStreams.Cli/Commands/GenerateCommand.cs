using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary><c>poe generate</c>: a seeded, realistic load of miners, jobs, metrics and gold attestations.</summary>
public sealed class GenerateCommand(TimeProvider clock) : AsyncCommand<GenerateCommand.Settings>
{
    public sealed class Settings : ConnectionSettings
    {
        [CommandOption("--miners <N>")]
        [Description("Miners to register (default 20).")]
        public int Miners { get; init; } = 20;

        [CommandOption("--rate <PER_SECOND>")]
        [Description("Records per second (default 200).")]
        public int Rate { get; init; } = 200;

        [CommandOption("--duration <SECONDS>")]
        [Description("How long to run; 0 runs until Ctrl-C (default 60).")]
        public int Duration { get; init; } = 60;

        [CommandOption("--seed <N>")]
        [Description("Random seed: the same seed gives the same records (default 42).")]
        public int Seed { get; init; } = 42;

        [CommandOption("--bad-share <FRACTION>")]
        [Description("Share of deliberately invalid records, 0 to 1 (default 0.01).")]
        public double BadShare { get; init; } = 0.01;

        [CommandOption("--start <ISO_TIME>")]
        [Description("Backfill mode: event times start here and advance 1/rate per record, produced as fast as possible. Default: live, event time = now.")]
        public string? Start { get; init; }

        public override ValidationResult Validate() =>
            Miners is < 1 or > 1_000_000 ? ValidationResult.Error($"--miners must be between 1 and 1000000, got {Miners}")
            : Rate is < 1 or > 1_000_000 ? ValidationResult.Error($"--rate must be between 1 and 1000000, got {Rate}")
            : Duration < 0 ? ValidationResult.Error($"--duration must not be negative, got {Duration}")
            : BadShare is < 0 or > 1 ? ValidationResult.Error($"--bad-share must be between 0 and 1, got {BadShare.ToString(CultureInfo.InvariantCulture)}")
            : Start is not null && !DateTimeOffset.TryParse(Start, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
                ? ValidationResult.Error($"--start must be an ISO-8601 time, got '{Start}'")
                : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var publisher = settings.Publisher();
        var start = settings.Start is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : (DateTimeOffset?)null;
        var sent = await RunAsync(publisher, settings, start, clock, cancellationToken);
        publisher.Confirm(TimeSpan.FromSeconds(30));
        AnsiConsole.MarkupLineInterpolated($"Published {sent} records to {settings.BootstrapServers}; the broker acknowledged every one.");
        return 0;
    }

    /// <summary>Registers the miners, then publishes at the configured rate until the duration ends or cancellation.</summary>
    public static async Task<long> RunAsync(RecordPublisher publisher, Settings settings, DateTimeOffset? backfillStart, TimeProvider clock, CancellationToken cancellationToken)
    {
        var generator = new LoadGenerator(settings.Seed, settings.Miners, settings.BadShare);
        var began = clock.GetUtcNow();
        var eventTime = backfillStart ?? began;
        foreach (var registration in generator.Registrations(eventTime))
        {
            publisher.Publish(registration);
        }

        publisher.Flush(TimeSpan.FromSeconds(30));
        var step = TimeSpan.FromSeconds(1.0 / settings.Rate);
        var total = settings.Duration == 0 ? long.MaxValue : (long)settings.Rate * settings.Duration;
        long sent = settings.Miners;
        for (long i = 0; i < total && !cancellationToken.IsCancellationRequested; i++)
        {
            if (backfillStart is null)
            {
                // Live: hold the rate against the clock, event time is now.
                var due = began + (step * i);
                var wait = due - clock.GetUtcNow();
                if (wait > TimeSpan.FromMilliseconds(5))
                {
                    await Task.Delay(wait, clock, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                }

                eventTime = clock.GetUtcNow();
            }
            else
            {
                eventTime = backfillStart.Value + (step * i);
            }

            publisher.Publish(generator.Next(eventTime));
            sent++;
        }

        return sent;
    }
}
