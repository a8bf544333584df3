using System.ComponentModel;
using System.Globalization;
using PoeStreams.Economics.Time;
using PoeStreams.Storage.ClickHouse;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary>Settings of commands about one miner.</summary>
public class MinerSettings : OperatorSettings
{
    [CommandOption("--miner-id <ID>")]
    [Description("The miner.")]
    public string? MinerId { get; init; }

    public override ValidationResult Validate() =>
        Arguments.IsMinerId(MinerId) ? ValidationResult.Success() : ValidationResult.Error($"--miner-id must be 1–128 letters, digits or - _ . :, got '{MinerId}'");
}

/// <summary>Prints query rows as JSON, or as a <see cref="TextTable"/> that fits the terminal (80 columns when not a terminal).</summary>
internal static class Rows
{
    public static void Write(IReadOnlyList<Dictionary<string, string>> rows, OperatorSettings output, params string[] columns)
    {
        if (output.Json)
        {
            OperatorSettings.WriteJson(Objects(rows, columns));
            return;
        }

        var cells = rows.Select(row => (IReadOnlyList<string>)[.. columns.Select(c => Display(row[c]))]).ToList();
        var writer = AnsiConsole.Console.Profile.Out.Writer;
        foreach (var line in TextTable.Render(columns, cells, AnsiConsole.Console.Profile.Width, output.Wide))
        {
            writer.WriteLine(line);
        }
    }

    public static List<Dictionary<string, object>> Objects(IReadOnlyList<Dictionary<string, string>> rows, params string[] columns) =>
        rows.Select(r => columns.ToDictionary(c => c, c => Value(r[c]))).ToList();

    // Numbers stay numbers in JSON; money keeps its 18 places there and shows 8 on screen.
    private static object Value(string text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number : text;

    // Control characters (a newline in a dead letter's detail, a terminal escape in a hostile id) would
    // break the one-line rows or reach the terminal: each becomes a space.
    private static string Display(string text) =>
        text.Contains('.', StringComparison.Ordinal) && decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
            ? number.ToString("0.########", CultureInfo.InvariantCulture)
            : string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c));
}

/// <summary>Named groups of rows: one JSON object with a property per section, or a titled table per section.</summary>
internal sealed class Sections
{
    private readonly List<(string Name, IReadOnlyList<Dictionary<string, string>> Rows, string[] Columns)> sections = [];

    public void Add(string name, IReadOnlyList<Dictionary<string, string>> rows, params string[] columns) => sections.Add((name, rows, columns));

    public void Write(OperatorSettings output)
    {
        if (output.Json)
        {
            OperatorSettings.WriteJson(sections.ToDictionary(s => s.Name, s => Rows.Objects(s.Rows, s.Columns)));
            return;
        }

        foreach (var (name, rows, columns) in sections)
        {
            AnsiConsole.Write(new Rule(name).LeftJustified());
            Rows.Write(rows, output, columns);
        }
    }
}

/// <summary><c>poe score</c>: a miner's raw and normalized score, λP, λD, W and share in its last active epoch.</summary>
public sealed class ScoreCommand : AsyncCommand<ScoreCommand.Settings>
{
    public sealed class Settings : MinerSettings
    {
        [CommandOption("--detailed")]
        [Description("Also list the jobs that made the score.")]
        public bool Detailed { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var store = settings.ClickHouse();
        var db = store.Options.Database;
        var miner = Sql.Literal(settings.MinerId!);
        var rows = await store.QueryAsync(
            $"SELECT epoch_id, raw_score, normalized_score, prestige, diversity, weight, share, reputation_after AS reputation, job_count FROM {db}.miner_rewards FINAL WHERE miner_id = {miner} ORDER BY epoch_id DESC LIMIT 1",
            cancellationToken);
        if (rows.Count == 0)
        {
            throw new InvalidOperationException($"miner '{settings.MinerId}' has no scored epoch yet");
        }

        string[] scoreColumns = ["epoch_id", "raw_score", "normalized_score", "prestige", "diversity", "weight", "share", "reputation", "job_count"];
        string[] jobColumns = ["job_id", "job_type", "job_value", "quality_score"];
        var jobs = settings.Detailed
            ? await store.QueryAsync(
                $"SELECT job_id, job_type, job_value, quality_score FROM {db}.jobs FINAL WHERE miner_id = {miner} AND status = 'Verified' "
                + $"AND job_id IN (SELECT job_id FROM {db}.job_fee_splits FINAL WHERE epoch_id = {Sql.Literal(rows[0]["epoch_id"])}) ORDER BY job_id",
                cancellationToken)
            : [];
        if (settings.Json)
        {
            OperatorSettings.WriteJson(new { score = Rows.Objects(rows, scoreColumns)[0], jobs = settings.Detailed ? Rows.Objects(jobs, jobColumns) : null });
            return 0;
        }

        Rows.Write(rows, settings, scoreColumns);
        if (settings.Detailed)
        {
            Rows.Write(jobs, settings, jobColumns);
        }

        return 0;
    }
}

/// <summary><c>poe calculate-rewards</c>: a miner's NEX rewards per epoch, day or month.</summary>
public sealed class CalculateRewardsCommand : AsyncCommand<CalculateRewardsCommand.Settings>
{
    public sealed class Settings : MinerSettings
    {
        [CommandOption("--period <PERIOD>")]
        [Description("epoch, daily or monthly (default epoch).")]
        public string Period { get; init; } = "epoch";

        public override ValidationResult Validate() =>
            base.Validate() is { Successful: false } invalid ? invalid
            : Period is "epoch" or "daily" or "monthly" ? ValidationResult.Success()
            : ValidationResult.Error($"--period must be epoch, daily or monthly, got '{Period}'");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var bucket = settings.Period switch
        {
            "daily" => "toString(toDate(epoch_start))",
            "monthly" => "formatDateTime(epoch_start, '%Y-%m')",
            _ => "epoch_id",
        };
        using var store = settings.ClickHouse();
        var rows = await store.QueryAsync(
            $"SELECT {bucket} AS period, sum(share) AS nex, count() AS epochs, sum(job_count) AS jobs FROM {store.Options.Database}.miner_rewards FINAL "
            + $"WHERE miner_id = {Sql.Literal(settings.MinerId!)} GROUP BY period ORDER BY period DESC LIMIT 24",
            cancellationToken);
        if (rows.Count == 0)
        {
            throw new InvalidOperationException($"miner '{settings.MinerId}' has no rewards yet");
        }

        Rows.Write(rows, settings, "period", "nex", "epochs", "jobs");
        return 0;
    }
}

/// <summary><c>poe supply</c>: supply per token and, with --projections, where the recent issuance rate leads.</summary>
public sealed class SupplyCommand : AsyncCommand<SupplyCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--status")]
        [Description("Current supply per token (the default).")]
        public bool Status { get; init; }

        [CommandOption("--projections")]
        [Description("Supply in 1 and 30 days at the average issuance of the last 12 epochs.")]
        public bool Projections { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var store = settings.ClickHouse();
        var db = store.Options.Database;
        var epochsPerDay = 86_400 / settings.Economics().Epochs.LengthSeconds;
        var projection = settings.Projections
            ? $", toDecimal64(supply + recent_per_epoch * {epochsPerDay}, 8) AS in_1_day, toDecimal64(supply + recent_per_epoch * {epochsPerDay * 30}, 8) AS in_30_days"
            : string.Empty;
        var rows = await store.QueryAsync(
            $"SELECT token, supply, minted, eligible_epochs, epochs{projection} FROM {db}.mint_totals ANY LEFT JOIN "
            + $"(SELECT token, avg(amount) AS recent_per_epoch FROM (SELECT token, amount FROM {db}.mints FINAL ORDER BY epoch_start DESC LIMIT 12 BY token) GROUP BY token) USING token ORDER BY token",
            cancellationToken);
        if (rows.Count == 0)
        {
            throw new InvalidOperationException("no mint decision in the history yet");
        }

        Rows.Write(rows, settings, settings.Projections ? ["token", "supply", "minted", "eligible_epochs", "epochs", "in_1_day", "in_30_days"] : ["token", "supply", "minted", "eligible_epochs", "epochs"]);
        return 0;
    }
}

/// <summary><c>poe owner-salary report --month YYYY-MM</c>.</summary>
public sealed class OwnerSalaryReportCommand : AsyncCommand<OwnerSalaryReportCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--month <YYYY-MM>")]
        [Description("The UTC month.")]
        public string? Month { get; init; }

        public override ValidationResult Validate() =>
            YearMonth.TryParse(Month, out _) ? ValidationResult.Success() : ValidationResult.Error($"--month must be YYYY-MM, got '{Month}'");
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var store = settings.ClickHouse();
        var rows = await store.QueryAsync(
            $"SELECT month, status, gross, capped, excess_to_treasury, immediate, escrow, payout, vested, transparency_hash FROM {store.Options.Database}.owner_salary_reports FINAL WHERE month = {Sql.Literal(settings.Month!)}",
            cancellationToken);
        if (rows.Count == 0)
        {
            throw new InvalidOperationException($"no owner-salary report for {settings.Month} yet (a month is reported when its last epoch closes)");
        }

        Rows.Write(rows, settings, "month", "status", "gross", "capped", "excess_to_treasury", "immediate", "escrow", "payout", "vested", "transparency_hash");
        return 0;
    }
}
