using System.ComponentModel;
using System.Globalization;
using PoeStreams.Storage.ClickHouse.History;
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
        var rows = await new PoeHistory(store).IndexAsync(limit, cancellationToken);
        if (rows.Count == 0)
        {
            throw new InvalidOperationException("no closed epoch in the history yet");
        }

        if (settings.Json)
        {
            OperatorSettings.WriteJson(rows.Select(r => new
            {
                epoch_id = r.EpochId, phi = r.Phi, gamma = r.Gamma,
                components = settings.Components ? new { volume = r.Volume, liquidity = r.Liquidity, uptime = r.Uptime, quality = r.Quality } : null,
                verified_jobs = r.VerifiedJobs, active_miners = r.ActiveMiners,
            }));
            return 0;
        }

        string[] columns = settings.Components
            ? ["epoch", "Φ", "Γ", "volume", "liquidity", "uptime", "quality", "jobs", "miners"]
            : ["epoch", "Φ", "Γ", "jobs", "miners"];
        Rows.WriteTable(
            columns,
            [.. rows.Select(r => (IReadOnlyList<string>)(settings.Components
                ? [r.EpochId, Short(r.Phi), Short(r.Gamma), Short(r.Volume), Short(r.Liquidity), Short(r.Uptime), Short(r.Quality), Text(r.VerifiedJobs), Text(r.ActiveMiners)]
                : [r.EpochId, Short(r.Phi), Short(r.Gamma), Text(r.VerifiedJobs), Text(r.ActiveMiners)]))],
            settings);
        if (settings.History)
        {
            var chart = new BarChart().Label("Φ per epoch").Width(60);
            foreach (var r in rows)
            {
                chart.AddItem(r.EpochId[11..19], (double)Math.Round(r.Phi, 4), Color.Green);
            }

            AnsiConsole.Write(chart);
        }

        return 0;
    }

    private static string Short(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
