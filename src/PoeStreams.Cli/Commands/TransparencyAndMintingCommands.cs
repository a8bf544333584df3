using System.ComponentModel;
using PoeStreams.Economics;
using PoeStreams.Economics.Minting;
using PoeStreams.Economics.Salary;
using PoeStreams.Storage.ClickHouse.History;
using Spectre.Console;
using Spectre.Console.Cli;
using TokenSymbol = PoeStreams.Contracts.TokenSymbol;

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
        var reports = await new PoeHistory(store).SalaryReportsAsync(cancellationToken);
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
}

/// <summary>
/// <c>poe minting --check-eligibility --token T</c>: the token's decision in the last closed epoch, with its
/// reason. <c>poe minting --mint --token T --amount N [--wait S]</c>: publishes a governance mint request for
/// the next epoch and, with --wait, reports whether the worker granted or refused it.
/// </summary>
public sealed class MintingCommand(TimeProvider clock) : AsyncCommand<MintingCommand.Settings>
{
    private const int Refused = 6;
    private const int NoAnswer = 7;

    public sealed class Settings : OperatorSettings
    {
        [CommandOption("--check-eligibility")]
        [Description("Show the last epoch's decision for the token.")]
        public bool CheckEligibility { get; init; }

        [CommandOption("--mint")]
        [Description("Publish a governance mint request for the next epoch.")]
        public bool Mint { get; init; }

        [CommandOption("--token <TOKEN>")]
        [Description("GEN, NEX, FLX or AUR.")]
        public string? Token { get; init; }

        [CommandOption("--amount <N>")]
        [Description("With --mint: the amount, positive, at most 8 decimal places.")]
        public decimal? Amount { get; init; }

        [CommandOption("--wait <SECONDS>")]
        [Description("With --mint: wait up to SECONDS for the worker's answer (ClickHouse); 0 = do not wait.")]
        public int Wait { get; init; }

        public override ValidationResult Validate() =>
            CheckEligibility == Mint ? ValidationResult.Error("give either --check-eligibility or --mint")
            : !Arguments.TryToken(Token, out var token) ? ValidationResult.Error($"--token must be GEN, NEX, FLX or AUR, got '{Token}'")
            : CheckEligibility && (Amount is not null || Wait != 0) ? ValidationResult.Error("--amount and --wait go with --mint")
            : Mint && Amount is null ? ValidationResult.Error("--mint needs --amount N")
            : Mint && token == global::PoeStreams.Economics.Token.GEN ? ValidationResult.Error("GEN has a fixed supply and is never minted")
            : Mint && MintRequest.AmountProblem(Amount!.Value) is { } problem ? ValidationResult.Error($"--amount: {problem}")
            : Wait is < 0 or > 86_400 ? ValidationResult.Error($"--wait must be 0–86400 seconds, got {Wait}")
            : ValidationResult.Success();
    }

    public override Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        Arguments.TryToken(settings.Token, out var token);
        return settings.Mint ? MintAsync(settings, token, settings.Amount!.Value, cancellationToken) : CheckEligibilityAsync(settings, token, cancellationToken);
    }

    private static async Task<int> CheckEligibilityAsync(Settings settings, Token token, CancellationToken cancellationToken)
    {
        using var store = settings.ClickHouse();
        var decision = await new PoeHistory(store).LastMintDecisionAsync(token, cancellationToken)
            ?? throw new InvalidOperationException($"no {token} decision in the history yet");
        Rows.Write([decision], settings);
        return 0;
    }

    private async Task<int> MintAsync(Settings settings, Token token, decimal amount, CancellationToken cancellationToken)
    {
        if (MintPolicy.EpochCap(token, settings.Economics().Minting) is { } cap && amount > cap.Cap)
        {
            throw new InvalidOperationException($"--amount {amount} is over the {token} epoch cap of {cap.Cap}; the worker would refuse it");
        }

        var eventId = GovernanceRequests.Mint(settings, clock, Enum.Parse<TokenSymbol>(token.ToString()), amount);
        if (!settings.Json)
        {
            AnsiConsole.MarkupLineInterpolated($"Published mint request [bold]{eventId}[/] for {amount} {token}; the worker answers when the next epoch closes.");
        }

        var answer = settings.Wait == 0 ? null
            : settings.Json ? await AnswerAsync(settings, eventId, token, cancellationToken)
            : await AnsiConsole.Status().StartAsync($"Waiting up to {settings.Wait} s for the answer…", _ => AnswerAsync(settings, eventId, token, cancellationToken));
        var status = settings.Wait == 0 ? "published" : answer is null ? "no-answer" : answer.Granted ? "granted" : "refused";
        if (settings.Json)
        {
            OperatorSettings.WriteJson(new { governance_event = eventId, token = token.ToString(), amount, status, epoch_id = answer?.EpochId, reason = answer?.Reason });
        }
        else if (status == "granted")
        {
            AnsiConsole.MarkupLineInterpolated($"[green]Granted[/] in epoch {answer!.EpochId}: {answer.Reason}");
        }
        else if (status == "refused")
        {
            AnsiConsole.MarkupLineInterpolated($"[red]Refused:[/] {answer!.Reason}");
        }
        else if (status == "no-answer")
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]No answer within {settings.Wait} s[/]; look later with poe minting --check-eligibility --token {token}.");
        }

        return status switch { "refused" => Refused, "no-answer" => NoAnswer, _ => 0 };
    }

    // The worker's answer as the ClickHouse sink recorded it: the epoch's decision naming the request, or its dead letter.
    private async Task<MintRequestAnswer?> AnswerAsync(Settings settings, string eventId, Token token, CancellationToken cancellationToken)
    {
        using var store = settings.ClickHouse();
        var history = new PoeHistory(store);
        return await Polling.UntilAnsweredAsync(
            () => history.MintAnswerAsync(token, eventId, Contracts.PoeTopics.Governance, cancellationToken),
            TimeSpan.FromSeconds(settings.Wait),
            TimeSpan.FromMilliseconds(500),
            clock,
            cancellationToken);
    }

}
