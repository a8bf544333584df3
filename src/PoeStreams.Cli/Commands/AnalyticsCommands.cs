using System.ComponentModel;
using System.Globalization;
using System.Text;
using PoeStreams.Storage.ClickHouse.History;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary><c>poe analytics [--network] [--miners] [--performance]</c>: summaries of the history (all three by default).</summary>
public sealed class AnalyticsCommand : AsyncCommand<AnalyticsCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--network")]
        public bool Network { get; init; }

        [CommandOption("--miners")]
        public bool Miners { get; init; }

        [CommandOption("--performance")]
        public bool Performance { get; init; }

        [CommandOption("--top <N>")]
        [Description("Miners listed by --miners (default 10).")]
        public int Top { get; init; } = 10;

        public override ValidationResult Validate() =>
            Top is < 1 or > 1000 ? ValidationResult.Error($"--top must be between 1 and 1000, got {Top}") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var all = !settings.Network && !settings.Miners && !settings.Performance;
        using var store = settings.ClickHouse();
        var history = new PoeHistory(store);
        var sections = new Sections();
        if (all || settings.Network)
        {
            sections.Add("network", [await history.NetworkAsync(cancellationToken)]);
        }

        if (all || settings.Miners)
        {
            sections.Add("miners", await history.TopMinersAsync(settings.Top, cancellationToken));
        }

        if (all || settings.Performance)
        {
            sections.Add("performance", await history.DeadLettersByReasonAsync(cancellationToken));
        }

        sections.Write(settings);
        return 0;
    }
}

/// <summary><c>poe statistics --comprehensive [--export-csv FILE]</c>: job types, fee streams and mint totals.</summary>
public sealed class StatisticsCommand : AsyncCommand<StatisticsCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--comprehensive")]
        [Description("Every section (the default).")]
        public bool Comprehensive { get; init; }

        [CommandOption("--export-csv <FILE>")]
        [Description("Also write the statistics to FILE as CSV (section,name,metric,value).")]
        public string? ExportCsv { get; init; }
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var store = settings.ClickHouse();
        var history = new PoeHistory(store);
        var sections = new Sections();
        sections.Add("job_type", await history.JobTypesAsync(cancellationToken));
        sections.Add("fees", await history.FeesByDayAsync(cancellationToken));
        sections.Add("mints", await history.MintTotalsAsync(cancellationToken));
        if (settings.ExportCsv is { } path)
        {
            var csv = new StringBuilder("section,name,metric,value\n");
            foreach (var (section, name, metric, value) in sections.Cells())
            {
                csv.Append(CultureInfo.InvariantCulture, $"{section},{Csv(name)},{metric},{value}\n");
            }

            await File.WriteAllTextAsync(path, csv.ToString(), cancellationToken);
        }

        sections.Write(settings);
        if (settings.Json)
        {
            return 0;
        }

        if (settings.ExportCsv is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"Written to {settings.ExportCsv}.");
        }

        return 0;
    }

    // Names come from the history; a leading = + - @ would make a spreadsheet evaluate the cell.
    private static string Csv(string value)
    {
        var safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' ? "'" + value : value;
        return safe.IndexOfAny([',', '"', '\n']) >= 0 ? $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : safe;
    }
}
