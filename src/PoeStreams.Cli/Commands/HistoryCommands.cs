using System.ComponentModel;
using System.Globalization;
using PoeStreams.Economics.Time;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using PoeStreams.Storage.ClickHouse.History;
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
        Arguments.IsMinerId(MinerId) ? ValidationResult.Success() : Arguments.MinerIdRefused(MinerId);
}

/// <summary>
/// Typed rows as JSON (their properties, snake_case), or as a <see cref="TextTable"/> that fits the
/// terminal (80 columns when not a terminal); the columns are the properties, in order.
/// </summary>
internal static class Rows
{
    public static void Write<T>(IReadOnlyList<T> rows, OperatorSettings output)
    {
        if (output.Json)
        {
            OperatorSettings.WriteJson(rows);
            return;
        }

        WriteTable(Columns<T>(), [.. rows.Select(row => (IReadOnlyList<string>)[.. Values(row).Select(Display)])], output);
    }

    /// <summary>The column names of <typeparamref name="T"/>'s rows: its properties as JSON names them.</summary>
    public static string[] Columns<T>() => [.. Properties<T>().Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))];

    /// <summary>A row's values, in column order.</summary>
    public static object?[] Values<T>(T row) => [.. Properties<T>().Select(p => p.GetValue(row))];

    /// <summary>A value as the history has it (all its digits), for files.</summary>
    public static string Exact(object? value) => value is IFormattable formattable ? formattable.ToString(null, CultureInfo.InvariantCulture) : value?.ToString() ?? string.Empty;

    /// <summary>Cells already formatted, as a <see cref="TextTable"/>.</summary>
    public static void WriteTable(string[] columns, List<IReadOnlyList<string>> cells, OperatorSettings output)
    {
        var writer = AnsiConsole.Console.Profile.Out.Writer;
        foreach (var line in TextTable.Render(columns, cells, Terminal.Columns, output.Wide))
        {
            writer.WriteLine(line);
        }
    }

    private static PropertyInfo[] Properties<T>() => typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);

    // Money keeps its 18 places in JSON and shows 8 on screen. Control characters (a newline in a dead
    // letter's detail, a terminal escape in a hostile id) would break the one-line rows or reach the
    // terminal: each becomes a space.
    private static string Display(object? value) => value switch
    {
        decimal number => number.ToString("0.########", CultureInfo.InvariantCulture),
        string text => string.Concat(text.Select(c => char.IsControl(c) ? ' ' : c)),
        _ => Exact(value),
    };
}

/// <summary>Named groups of rows: one JSON object with a property per section, or a titled table per section.</summary>
internal sealed class Sections
{
    private readonly List<(string Name, object Rows, string[] Columns, List<object?[]> Values, Action<OperatorSettings> Write)> sections = [];

    public void Add<T>(string name, IReadOnlyList<T> rows) =>
        sections.Add((name, rows, Rows.Columns<T>(), [.. rows.Select(row => Rows.Values(row))], output => Rows.Write(rows, output)));

    /// <summary>Every value but a row's first (its name) as section, name, metric, value, with all its digits.</summary>
    public IEnumerable<(string Section, string Name, string Metric, string Value)> Cells() =>
        from section in sections
        from values in section.Values
        from i in Enumerable.Range(1, section.Columns.Length - 1)
        select (section.Name, Rows.Exact(values[0]), section.Columns[i], Rows.Exact(values[i]));

    public void Write(OperatorSettings output)
    {
        if (output.Json)
        {
            OperatorSettings.WriteJson(sections.ToDictionary(s => s.Name, s => s.Rows));
            return;
        }

        foreach (var (name, _, _, _, write) in sections)
        {
            // A title as wide as the tables may be, drawn by hand: Spectre's rule spans its own width.
            AnsiConsole.Console.Profile.Out.Writer.WriteLine($"── {name} " + new string('─', Math.Max(3, Terminal.Columns - name.Length - 4)));
            write(output);
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
        var history = new PoeHistory(store);
        var score = await history.LastScoreAsync(settings.MinerId!, cancellationToken)
            ?? throw new InvalidOperationException($"miner '{settings.MinerId}' has no scored epoch yet");
        var jobs = settings.Detailed ? await history.ScoredJobsAsync(settings.MinerId!, score.EpochId, cancellationToken) : [];
        if (settings.Json)
        {
            OperatorSettings.WriteJson(new { score, jobs = settings.Detailed ? jobs : null });
            return 0;
        }

        Rows.Write([score], settings);
        if (settings.Detailed)
        {
            Rows.Write(jobs, settings);
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
            "daily" => RewardBucket.Day,
            "monthly" => RewardBucket.Month,
            _ => RewardBucket.Epoch,
        };
        using var store = settings.ClickHouse();
        var rows = await new PoeHistory(store).RewardsAsync(settings.MinerId!, bucket, cancellationToken);
        if (rows.Count == 0)
        {
            throw new InvalidOperationException($"miner '{settings.MinerId}' has no rewards yet");
        }

        Rows.Write(rows, settings);
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
        var history = new PoeHistory(store);
        if (settings.Projections)
        {
            Rows.Write(NotEmpty(await history.ProjectedSupplyAsync(86_400 / settings.Economics().Epochs.LengthSeconds, cancellationToken)), settings);
        }
        else
        {
            Rows.Write(NotEmpty(await history.SupplyAsync(cancellationToken)), settings);
        }

        return 0;
    }

    private static List<T> NotEmpty<T>(List<T> rows) => rows.Count > 0 ? rows : throw new InvalidOperationException("no mint decision in the history yet");
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
        var report = await new PoeHistory(store).SalaryReportAsync(YearMonth.Parse(settings.Month!), cancellationToken)
            ?? throw new InvalidOperationException($"no owner-salary report for {settings.Month} yet (a month is reported when its last epoch closes)");
        Rows.Write([report], settings);
        return 0;
    }
}
