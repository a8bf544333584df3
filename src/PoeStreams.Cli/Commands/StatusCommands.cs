using System.ComponentModel;
using System.Globalization;
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
        var db = store.Options.Database;
        var lastClose = $"(SELECT max(window_end) FROM {db}.index_snapshots FINAL)";
        var sections = new Sections();
        var overview = await store.QueryAsync(
            $"SELECT epoch_id AS last_closed_epoch, active_miners, verified_jobs, gamma, "
            // As text: ClickHouse 18.16 cannot return a Decimal from a scalar subquery.
            + $"(SELECT toString(any(pool)) FROM {db}.reward_manifests FINAL WHERE epoch_id = (SELECT max(epoch_id) FROM {db}.index_snapshots FINAL)) AS nex_pool, "
            + $"(SELECT count() FROM {db}.jobs FINAL WHERE completion_time >= {lastClose}) AS jobs_since, "
            + $"(SELECT count() FROM {db}.miners FINAL) AS registered_miners, "
            + $"(SELECT count() FROM {db}.dead_letters FINAL) AS dead_letters "
            + $"FROM {db}.index_per_epoch ORDER BY epoch_id DESC LIMIT 1",
            cancellationToken);
        if (overview.Count == 0)
        {
            throw new InvalidOperationException("no closed epoch in the history yet");
        }

        sections.Add("overview", overview, "last_closed_epoch", "active_miners", "verified_jobs", "gamma", "nex_pool", "jobs_since", "registered_miners", "dead_letters");
        // Jobs of the open epoch have no fee split yet (a job id is decided when its epoch closes): the
        // miners' Verified jobs received since, and the fee parts they will accrue at the configured rates.
        var received = settings.Miners || settings.Rewards
            ? await store.QueryAsync(
                $"SELECT miner_id, count() AS verified_jobs, sum(job_value) AS verified_value FROM {db}.jobs FINAL "
                + $"WHERE status = 'Verified' AND completion_time >= {lastClose} AND miner_id IN (SELECT miner_id FROM {db}.miners FINAL) "
                + "GROUP BY miner_id ORDER BY verified_value DESC, miner_id LIMIT 50",
                cancellationToken)
            : [];
        if (settings.Miners)
        {
            sections.Add("miners", received, "miner_id", "verified_jobs", "verified_value");
        }

        if (settings.Jobs)
        {
            sections.Add("jobs", await store.QueryAsync(
                $"SELECT job_type, status, count() AS jobs, sum(job_value) AS value FROM {db}.jobs FINAL "
                + $"WHERE completion_time >= {lastClose} AND miner_id IN (SELECT miner_id FROM {db}.miners FINAL) GROUP BY job_type, status ORDER BY job_type, status",
                cancellationToken), "job_type", "status", "jobs", "value");
        }

        if (settings.Rewards)
        {
            var fees = settings.Economics().FeeStructure;
            var pending = received.Select(row =>
            {
                var value = decimal.Parse(row["verified_value"], CultureInfo.InvariantCulture);
                var locked = decimal.Round(value * fees.MinerLockRate, 18, MidpointRounding.ToZero);
                var spendable = decimal.Round(value * fees.MinerSpendableRate, 18, MidpointRounding.ToZero);
                return new Dictionary<string, string>
                {
                    ["miner_id"] = row["miner_id"],
                    ["locked"] = locked.ToString(CultureInfo.InvariantCulture),
                    ["spendable"] = spendable.ToString(CultureInfo.InvariantCulture),
                    ["pending"] = (locked + spendable).ToString(CultureInfo.InvariantCulture),
                };
            }).OrderByDescending(row => decimal.Parse(row["pending"], CultureInfo.InvariantCulture)).ThenBy(row => row["miner_id"], StringComparer.Ordinal).ToList();
            sections.Add("rewards", pending, "miner_id", "locked", "spendable", "pending");
        }

        sections.Write(settings);
        return 0;
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
