using System.ComponentModel;
using System.Globalization;
using PoeStreams.Storage.ClickHouse.History;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary>
/// <c>poe status [--miners] [--jobs] [--rewards]</c>: the last closed epoch, and on request the miners and
/// jobs of the open epoch (everything completed since the last close) and the fee parts pending for them
/// (at the configured rates: their fee splits are published when the epoch closes).
/// </summary>
public sealed class StatusCommand : AsyncCommand<StatusCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--miners")]
        [Description("Registered miners' Verified jobs received in the open epoch, by value.")]
        public bool Miners { get; init; }

        [CommandOption("--jobs")]
        [Description("Jobs of registered miners in the open epoch, by type and status.")]
        public bool Jobs { get; init; }

        [CommandOption("--rewards")]
        [Description("Fee parts each miner accrues from the open epoch's jobs (at the configured rates), settled when it closes.")]
        public bool Rewards { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var store = settings.ClickHouse();
        var history = new PoeHistory(store);
        var sections = new Sections();
        var overview = await history.LastClosedEpochAsync(cancellationToken) ?? throw new InvalidOperationException("no closed epoch in the history yet");
        sections.Add("overview", [overview]);

        // Jobs of the open epoch have no fee split yet (a job id is decided when its epoch closes): the
        // miners' Verified jobs received since, and the fee parts they will accrue at the configured rates.
        var received = settings.Miners || settings.Rewards ? await history.VerifiedJobsSinceLastCloseAsync(50, cancellationToken) : [];
        if (settings.Miners)
        {
            sections.Add("miners", received);
        }

        if (settings.Jobs)
        {
            sections.Add("jobs", await history.JobsSinceLastCloseAsync(cancellationToken));
        }

        if (settings.Rewards)
        {
            var fees = settings.Economics().FeeStructure;
            sections.Add("rewards", received
                .Select(miner => PendingFees.Of(miner.MinerId, miner.VerifiedValue, fees))
                .OrderByDescending(pending => pending.Pending).ThenBy(pending => pending.MinerId, StringComparer.Ordinal)
                .ToList());
        }

        sections.Write(settings);
        return 0;
    }
}

/// <summary>The fee parts a miner accrues from Verified jobs worth a value, by the fee split's own rule (no DockLock revenue).</summary>
internal sealed record PendingFees(string MinerId, decimal Locked, decimal Spendable, decimal Pending)
{
    public static PendingFees Of(string minerId, decimal value, Economics.Configuration.FeeStructure fees)
    {
        var split = Economics.Fees.FeeSplit.Of(value, 0m, fees);
        return new(minerId, split.MinerLocked, split.MinerSpendable, split.MinerLocked + split.MinerSpendable);
    }
}

/// <summary><c>poe metrics --export --prometheus</c>: the worker's metrics in Prometheus text format.</summary>
public sealed class MetricsCommand : AsyncCommand<MetricsCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--export")]
        [Description("Print the metrics (the default).")]
        public bool Export { get; init; }

        [CommandOption("--prometheus")]
        [Description("Prometheus text format (the only format).")]
        public bool Prometheus { get; init; }

        [CommandOption("--url <URL>")]
        [Description("The worker's metrics endpoint (default: http://127.0.0.1:9464/metrics).")]
        public string Url { get; init; } = "http://127.0.0.1:9464/metrics";

        public override ValidationResult Validate() =>
            Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? ValidationResult.Success()
                : ValidationResult.Error($"--url must be an http(s) URL, got '{Url}'");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        string text;
        try
        {
            text = await http.GetStringAsync(settings.Url, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new InvalidOperationException($"cannot read {settings.Url}: {e.Message} (is the worker running with POE_METRICS_PORT?)");
        }

        Console.Write(text);
        return 0;
    }
}

/// <summary><c>poe owner-salary policy [--update --cap N]</c>: shows the salary policy; --update publishes a validated governance change.</summary>
public sealed class OwnerSalaryPolicyCommand(TimeProvider clock) : AsyncCommand<OwnerSalaryPolicyCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--update")]
        public bool Update { get; init; }

        [CommandOption("--cap <USD>")]
        [Description("Monthly cap in USD.")]
        public decimal? Cap { get; init; }

        [CommandOption("--vesting <SHARE>")]
        public decimal? Vesting { get; init; }

        [CommandOption("--escrow <SHARE>")]
        public decimal? Escrow { get; init; }

        public override ValidationResult Validate() =>
            !Update && (Cap ?? Vesting ?? Escrow) is not null ? ValidationResult.Error("the policy is changed only with --update")
            : Update && (Cap ?? Vesting ?? Escrow) is null ? ValidationResult.Error("--update needs --cap, --vesting or --escrow")
            : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var current = settings.Economics().OwnerSalary;
        var policy = current with
        {
            MonthlyCapUsd = settings.Cap ?? current.MonthlyCapUsd,
            VestingPercentage = settings.Vesting ?? current.VestingPercentage,
            EscrowPercentage = settings.Escrow ?? current.EscrowPercentage,
        };
        string? eventId = null;
        if (settings.Update)
        {
            var problems = policy.Validate();
            if (problems.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", problems));
            }

            eventId = GovernanceRequests.UpdateParameters(settings, clock, "salary-policy", new Dictionary<string, string>
            {
                ["owner_salary.monthly_cap_usd"] = Text(policy.MonthlyCapUsd),
                ["owner_salary.vesting_percentage"] = Text(policy.VestingPercentage),
                ["owner_salary.escrow_percentage"] = Text(policy.EscrowPercentage),
            });
        }

        if (settings.Json)
        {
            OperatorSettings.WriteJson(new { monthly_cap_usd = policy.MonthlyCapUsd, vesting_percentage = policy.VestingPercentage, vesting_period_months = policy.VestingPeriodMonths, escrow_percentage = policy.EscrowPercentage, governance_approval = policy.GovernanceApproval, governance_event = eventId });
            return Task.FromResult(0);
        }

        var table = new Spectre.Console.Table().AddColumns("setting", "value");
        table.AddRow("monthly cap (USD)", Text(policy.MonthlyCapUsd));
        table.AddRow("vesting", $"{Text(policy.VestingPercentage)} over {policy.VestingPeriodMonths} months");
        table.AddRow("escrow", Text(policy.EscrowPercentage));
        table.AddRow("governance approval", policy.GovernanceApproval ? "required" : "not required");
        AnsiConsole.Write(table);
        if (eventId is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"Published governance event [bold]{eventId}[/]; the policy applies from the next epoch.");
        }

        return Task.FromResult(0);
    }

    private static string Text(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
