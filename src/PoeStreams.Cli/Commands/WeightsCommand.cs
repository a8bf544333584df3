using System.ComponentModel;
using System.Globalization;
using PoeStreams.Economics.Configuration;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary><c>poe weights</c>: shows the PoE index weights; with --update publishes a validated governance change.</summary>
public sealed class WeightsCommand(TimeProvider clock) : AsyncCommand<WeightsCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--update")]
        [Description("Publish the given weights as a governance event (effective from the next epoch).")]
        public bool Update { get; init; }

        [CommandOption("--volume <W>")]
        public decimal? Volume { get; init; }

        [CommandOption("--liquidity <W>")]
        public decimal? Liquidity { get; init; }

        [CommandOption("--uptime <W>")]
        public decimal? Uptime { get; init; }

        [CommandOption("--quality <W>")]
        public decimal? Quality { get; init; }

        public override ValidationResult Validate() =>
            !Update && (Volume ?? Liquidity ?? Uptime ?? Quality) is not null
                ? ValidationResult.Error("weights are changed only with --update")
                : ValidationResult.Success();

        internal PoeParameters Apply(PoeParameters current) => current with
        {
            VolumeWeight = Volume ?? current.VolumeWeight,
            LiquidityWeight = Liquidity ?? current.LiquidityWeight,
            UptimeWeight = Uptime ?? current.UptimeWeight,
            QualityWeight = Quality ?? current.QualityWeight,
        };
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var current = settings.Economics().PoeParameters;
        var weights = settings.Update ? settings.Apply(current) : current;
        string? eventId = null;
        if (settings.Update)
        {
            var problems = weights.Validate();
            if (problems.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", problems));
            }

            eventId = GovernanceRequests.UpdateParameters(settings, clock, "weights", new Dictionary<string, string>
            {
                ["poe_parameters.volume_weight"] = Text(weights.VolumeWeight),
                ["poe_parameters.liquidity_weight"] = Text(weights.LiquidityWeight),
                ["poe_parameters.uptime_weight"] = Text(weights.UptimeWeight),
                ["poe_parameters.quality_weight"] = Text(weights.QualityWeight),
            });
        }

        if (settings.Json)
        {
            OperatorSettings.WriteJson(new { volume = weights.VolumeWeight, liquidity = weights.LiquidityWeight, uptime = weights.UptimeWeight, quality = weights.QualityWeight, governance_event = eventId });
            return Task.FromResult(0);
        }

        var table = new Table().AddColumns("component", "weight");
        table.AddRow("volume", Text(weights.VolumeWeight));
        table.AddRow("liquidity", Text(weights.LiquidityWeight));
        table.AddRow("uptime", Text(weights.UptimeWeight));
        table.AddRow("quality", Text(weights.QualityWeight));
        AnsiConsole.Write(table);
        if (eventId is not null)
        {
            AnsiConsole.MarkupLineInterpolated($"Published governance event [bold]{eventId}[/]; the weights apply from the next epoch.");
        }

        return Task.FromResult(0);
    }

    private static string Text(decimal value) => value.ToString("0.############", CultureInfo.InvariantCulture);
}
