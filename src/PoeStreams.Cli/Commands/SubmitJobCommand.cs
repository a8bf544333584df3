using System.ComponentModel;
using System.Globalization;
using PoeStreams.Contracts;
using PoeStreams.Economics.Fees;
using PoeStreams.Storage.ClickHouse;
using PoeStreams.Storage.ClickHouse.History;
using Spectre.Console;
using Spectre.Console.Cli;
using Domain = PoeStreams.Economics;

namespace PoeStreams.Cli.Commands;

/// <summary><c>poe submit-job</c>: validates and publishes one job and prints its fee split.</summary>
public sealed class SubmitJobCommand(TimeProvider clock) : AsyncCommand<SubmitJobCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--type <TYPE>")]
        [Description("Job type, e.g. DockLockHosting, compute.")]
        public string? Type { get; init; }

        [CommandOption("--value <N>")]
        [Description("Job value (≥ 0).")]
        public decimal? Value { get; init; }

        [CommandOption("--quality <Q>")]
        [Description("Quality score, from 0 to 1.")]
        public decimal? Quality { get; init; }

        [CommandOption("--miner-id <ID>")]
        [Description("A registered miner (default: POE_MINER_ID).")]
        public string? MinerId { get; init; } = Environment.GetEnvironmentVariable("POE_MINER_ID");

        [CommandOption("--job-id <ID>")]
        [Description("Job id (default: a new one).")]
        public string? JobId { get; init; }

        [CommandOption("--hosting-hours <H>")]
        public decimal? HostingHours { get; init; }

        [CommandOption("--hourly-rate <R>")]
        public decimal? HourlyRate { get; init; }

        [CommandOption("--compute-usage <U>")]
        public decimal? ComputeUsage { get; init; }

        [CommandOption("--unit-price <P>")]
        public decimal? UnitPrice { get; init; }

        [CommandOption("--bandwidth-gb <G>")]
        public decimal? BandwidthGb { get; init; }

        [CommandOption("--gb-price <P>")]
        public decimal? GbPrice { get; init; }

        [CommandOption("--storage-gb <G>")]
        public decimal? StorageGb { get; init; }

        [CommandOption("--monthly-rate <R>")]
        public decimal? MonthlyRate { get; init; }

        [CommandOption("--api-requests <N>")]
        public long? ApiRequests { get; init; }

        [CommandOption("--per-request-fee <F>")]
        public decimal? PerRequestFee { get; init; }

        public override ValidationResult Validate()
        {
            if (!Arguments.TryJobType(Type, out _))
            {
                return ValidationResult.Error($"--type must be one of {Arguments.JobTypeNames}, got '{Type}'");
            }

            if (Value is not { } value || value < 0)
            {
                return ValidationResult.Error($"--value must be a number ≥ 0, got {Value?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}");
            }

            if (Quality is not { } quality || quality is < 0 or > 1)
            {
                return ValidationResult.Error($"--quality must be between 0 and 1, got {Quality?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}");
            }

            if (!Arguments.IsMinerId(MinerId))
            {
                return Arguments.MinerIdRefused(MinerId);
            }

            foreach (var (a, b, names) in Pairs())
            {
                if (a.HasValue != b.HasValue)
                {
                    return ValidationResult.Error($"{names} must be given together");
                }

                if (a < 0 || b < 0)
                {
                    return ValidationResult.Error($"{names} must not be negative");
                }
            }

            return ValidationResult.Success();
        }

        internal IEnumerable<(decimal? Quantity, decimal? Price, string Names)> Pairs() =>
        [
            (HostingHours, HourlyRate, "--hosting-hours and --hourly-rate"),
            (ComputeUsage, UnitPrice, "--compute-usage and --unit-price"),
            (BandwidthGb, GbPrice, "--bandwidth-gb and --gb-price"),
            (StorageGb, MonthlyRate, "--storage-gb and --monthly-rate"),
            (ApiRequests, PerRequestFee, "--api-requests and --per-request-fee"),
        ];
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Arguments.TryJobType(settings.Type, out var type);
        using (var store = settings.ClickHouse())
        {
            if (!await IsRegisteredAsync(store, settings.MinerId!, cancellationToken))
            {
                throw new InvalidOperationException($"unknown miner '{settings.MinerId}': register it first with poe start-mining");
            }
        }

        var kinds = new[] { RevenueStreamType.ContainerHosting, RevenueStreamType.ComputeResources, RevenueStreamType.NetworkBandwidth, RevenueStreamType.StorageServices, RevenueStreamType.ApiRequests };
        var streams = settings.Pairs().Zip(kinds)
            .Where(p => p.First.Quantity.HasValue)
            .Select(p => new RevenueStream { stream_type = p.Second, quantity = WireDecimal.ToAvro(p.First.Quantity!.Value), unit_price = WireDecimal.ToAvro(p.First.Price!.Value) })
            .ToList();
        var now = clock.GetUtcNow();
        var job = new EconomicJob
        {
            job_id = settings.JobId ?? $"cli-{Guid.NewGuid():N}",
            miner_id = settings.MinerId!,
            job_type = Enum.Parse<JobType>(type.ToString()),
            job_value = WireDecimal.ToAvro(settings.Value!.Value),
            quality_score = WireDecimal.ToAvro(settings.Quality!.Value),
            status = VerificationStatus.Verified,
            completion_time = now.UtcDateTime,
            revenue_streams = streams,
        };
        using (var publisher = settings.Publisher())
        {
            publisher.Publish(PoeTopics.Jobs, job.miner_id, job, now);
            publisher.Confirm();
        }

        var revenue = Domain.RevenueStream.TotalRevenue(streams.Select(s => new Domain.RevenueStream((Domain.RevenueStreamType)(int)s.stream_type, WireDecimal.FromAvro(s.quantity), WireDecimal.FromAvro(s.unit_price))));
        var split = FeeSplit.Of(settings.Value!.Value, revenue, settings.Economics().FeeStructure);
        if (settings.Json)
        {
            OperatorSettings.WriteJson(new
            {
                job_id = job.job_id, miner_id = job.miner_id, job_type = type.ToString(), job_value = settings.Value, docklock_revenue = revenue,
                fee = new { total = split.Total, miner_locked = split.MinerLocked, miner_spendable = split.MinerSpendable, owner_salary = split.OwnerSalary, treasury = split.Treasury },
            });
        }
        else
        {
            var table = new Spectre.Console.Table().AddColumns("part", "amount");
            table.AddRow("miner locked", split.MinerLocked.ToString("0.########", CultureInfo.InvariantCulture));
            table.AddRow("miner spendable", split.MinerSpendable.ToString("0.########", CultureInfo.InvariantCulture));
            table.AddRow("owner salary", split.OwnerSalary.ToString("0.########", CultureInfo.InvariantCulture));
            table.AddRow("treasury", split.Treasury.ToString("0.########", CultureInfo.InvariantCulture));
            table.AddRow("[bold]total fee[/]", split.Total.ToString("0.########", CultureInfo.InvariantCulture));
            AnsiConsole.MarkupLineInterpolated($"Submitted job [bold]{job.job_id}[/] ({type}, value {settings.Value}, quality {settings.Quality}) for {job.miner_id}.");
            AnsiConsole.Write(table);
        }

        return 0;
    }

    // A miner registered moments ago reaches the history within the sink's flush interval (1 s), so a
    // user who runs start-mining and submit-job back to back is given a few seconds before "unknown".
    private async Task<bool> IsRegisteredAsync(ClickHouseStore store, string minerId, CancellationToken cancellationToken) =>
        await Polling.UntilAnsweredAsync(
            async () => await new PoeHistory(store).IsRegisteredAsync(minerId, cancellationToken) ? minerId : null,
            TimeSpan.FromSeconds(5),
            TimeSpan.FromMilliseconds(250),
            clock,
            cancellationToken) is not null;
}
