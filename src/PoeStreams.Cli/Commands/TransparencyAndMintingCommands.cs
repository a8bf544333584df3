using System.ComponentModel;
using System.Globalization;
using PoeStreams.Economics;
using PoeStreams.Economics.Salary;
using PoeStreams.Economics.Time;
using PoeStreams.Storage.ClickHouse;
using Spectre.Console;
using Spectre.Console.Cli;

namespace PoeStreams.Cli.Commands;

/// <summary>
/// <c>poe owner-salary transparency --verify [--export FILE]</c>: recomputes the owner-salary hash chain
/// from the reports in the history and names the first month that does not match.
/// </summary>
public sealed class OwnerSalaryTransparencyCommand : AsyncCommand<OwnerSalaryTransparencyCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--verify")]
        [Description("Recompute every hash and link; exit 5 when the chain is broken.")]
        public bool Verify { get; init; }

        [CommandOption("--export <FILE>")]
        [Description("Write each report's canonical encoding and hash to FILE (JSON lines).")]
        public string? Export { get; init; }

        public override ValidationResult Validate() =>
            !Verify && Export is null ? ValidationResult.Error("give --verify, --export FILE or both") : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var store = settings.ClickHouse();
        var reports = (await store.QueryAsync(
            $"SELECT month, gross, capped, excess_to_treasury, immediate, escrow, payout, vested, vesting_months, vesting_amounts, status, previous_hash, transparency_hash "
            + $"FROM {store.Options.Database}.owner_salary_reports FINAL ORDER BY month",
            cancellationToken)).Select(ToReport).ToList();
        if (reports.Count == 0)
        {
            throw new InvalidOperationException("no owner-salary report in the history yet");
        }

        if (settings.Export is { } path)
        {
            await File.WriteAllLinesAsync(
                path,
                reports.Select(r => System.Text.Json.JsonSerializer.Serialize(new { month = r.Month.ToString(), status = r.Status.ToString(), canonical_encoding = TransparencyChain.CanonicalEncoding(r), transparency_hash = r.TransparencyHash })),
                cancellationToken);
        }

        var result = settings.Verify ? TransparencyChain.Verify(reports) : null;
        if (settings.Json)
        {
            OperatorSettings.WriteJson(new { reports = reports.Count, exported_to = settings.Export, valid = result?.IsValid, broken_at = result?.BrokenAt?.ToString(), problem = result?.Problem });
        }
        else
        {
            if (settings.Export is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"Exported {reports.Count} reports to {settings.Export}.");
            }

            if (result is { IsValid: true })
            {
                AnsiConsole.MarkupLineInterpolated($"[green]The chain of {reports.Count} monthly reports verifies[/] ({reports[0].Month} to {reports[^1].Month}).");
            }
            else if (result is not null)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]The chain is broken at {result.BrokenAt}:[/] {result.Problem}");
            }
        }

        return result is { IsValid: false } ? 5 : 0;
    }

    private static OwnerSalaryReport ToReport(Dictionary<string, string> row)
    {
        var months = ArrayOf(row["vesting_months"]).Select(YearMonth.Parse).ToList();
        var amounts = ArrayOf(row["vesting_amounts"]).Select(Dec).ToList();
        return new OwnerSalaryReport(
            YearMonth.Parse(row["month"]),
            Dec(row["gross"]),
            Dec(row["capped"]),
            Dec(row["excess_to_treasury"]),
            Dec(row["immediate"]),
            Dec(row["escrow"]),
            Dec(row["payout"]),
            Dec(row["vested"]),
            months.Zip(amounts, (month, amount) => new VestingTranche(month, amount)).ToList(),
            Enum.Parse<OwnerSalaryStatus>(row["status"]),
            row["previous_hash"],
            row["transparency_hash"]);
    }

    // ClickHouse's text form of an array: ['2026-12','2027-01'] or [15.000,15.000].
    private static IEnumerable<string> ArrayOf(string text) =>
        text.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries).Select(item => item.Trim('\''));

    private static decimal Dec(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);
}

/// <summary><c>poe minting --check-eligibility --token T</c>: the token's decision in the last closed epoch, with its reason.</summary>
public sealed class MintingCommand : AsyncCommand<MintingCommand.Settings>
{
    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--check-eligibility")]
        [Description("Show the last epoch's decision for the token.")]
        public bool CheckEligibility { get; init; }

        [CommandOption("--token <TOKEN>")]
        [Description("GEN, NEX, FLX or AUR.")]
        public string? Token { get; init; }

        public override ValidationResult Validate() =>
            !CheckEligibility ? ValidationResult.Error("give --check-eligibility (mint requests are not accepted yet)")
            : !Enum.TryParse<Token>(Token, ignoreCase: true, out _) ? ValidationResult.Error($"--token must be GEN, NEX, FLX or AUR, got '{Token}'")
            : ValidationResult.Success();
    }

    public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var token = Enum.Parse<Token>(settings.Token!, ignoreCase: true);
        using var store = settings.ClickHouse();
        var rows = await store.QueryAsync(
            $"SELECT epoch_id, token, eligible, amount, reason, supply_after FROM {store.Options.Database}.mints FINAL WHERE token = {Sql.Literal(token.ToString())} ORDER BY epoch_start DESC LIMIT 1",
            cancellationToken);
        if (rows.Count == 0)
        {
            throw new InvalidOperationException($"no {token} decision in the history yet");
        }

        Rows.Write(rows, settings.Json, "epoch_id", "token", "eligible", "amount", "reason", "supply_after");
        return 0;
    }
}
