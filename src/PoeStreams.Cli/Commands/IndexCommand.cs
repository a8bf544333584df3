using System.ComponentModel;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary><c>poe index</c>: Φ, Γ and the components, current and historical, from the ClickHouse history.</summary>
public sealed class IndexCommand : AsyncCommand<IndexCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--current")]
        [Description("The last closed epoch (the default when --history is not given).")]
        public bool Current { get; init; }

        [CommandOption("--history")]
        [Description("Recent epochs with a chart of Φ.")]
        public bool History { get; init; }

        [CommandOption("--components")]
        [Description("Include volume, liquidity, uptime and quality.")]
        public bool Components { get; init; }

        [CommandOption("--limit <N>")]
        [Description("Epochs in --history (default 12).")]
        public int Limit { get; init; } = 12;

        public override ValidationResult Validate() =>
            Limit is < 1 or > 10_000 ? ValidationResult.Error($"--limit must be between 1 and 10000, got {Limit}") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var limit = settings.History ? settings.Limit : 1;
        using var store = settings.ClickHouse();
        var rows = (await store.QueryAsync(
            $"SELECT epoch_id, phi, gamma, volume, liquidity, uptime, quality, verified_jobs, active_miners FROM {store.Options.Database}.index_per_epoch ORDER BY epoch_id DESC LIMIT {limit}",
            cancellationToken)).AsEnumerable().Reverse().ToList();
        if (rows.Count == 0)
        {
            throw new InvalidOperationException("no closed epoch in the history yet");
        }

        if (settings.Json)
        {
            OperatorSettings.WriteJson(rows.Select(r => new
            {
                epoch_id = r["epoch_id"], phi = Dec(r["phi"]), gamma = Dec(r["gamma"]),
                components = settings.Components ? new { volume = Dec(r["volume"]), liquidity = Dec(r["liquidity"]), uptime = Dec(r["uptime"]), quality = Dec(r["quality"]) } : null,
                verified_jobs = long.Parse(r["verified_jobs"], CultureInfo.InvariantCulture), active_miners = long.Parse(r["active_miners"], CultureInfo.InvariantCulture),
            }));
            return 0;
        }

        var table = new Table().AddColumns("epoch", "Φ", "Γ");
        if (settings.Components)
        {
            table.AddColumns("volume", "liquidity", "uptime", "quality");
        }

        table.AddColumns("jobs", "miners");
        foreach (var r in rows)
        {
            var cells = new List<string> { r["epoch_id"], Short(r["phi"]), Short(r["gamma"]) };
            if (settings.Components)
            {
                cells.AddRange([Short(r["volume"]), Short(r["liquidity"]), Short(r["uptime"]), Short(r["quality"])]);
            }

            cells.AddRange([r["verified_jobs"], r["active_miners"]]);
            table.AddRow(cells.ToArray());
        }

        foreach (var column in table.Columns)
        {
            // A number split over two lines is misread; a too-wide table is only cut at the edge.
            column.NoWrap = true;
        }

        AnsiConsole.Write(table);
        if (settings.History)
        {
            var chart = new BarChart().Label("Φ per epoch").Width(60);
            foreach (var r in rows)
            {
                chart.AddItem(r["epoch_id"][11..19], (double)Math.Round(Dec(r["phi"]), 4), Color.Green);
            }

            AnsiConsole.Write(chart);
        }

        return 0;
    }

    private static decimal Dec(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private static string Short(string text) => Dec(text).ToString("0.######", CultureInfo.InvariantCulture);
}
