using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Salary;
using PoeStreams.Economics.Time;
using PoeStreams.Storage.ClickHouse;

namespace PoeStreams.Cli.IntegrationTests;

/// <summary><c>poe owner-salary transparency</c> over reports in the real local ClickHouse.</summary>
public sealed class TransparencyCommandTests : IDisposable
{
    private readonly ClickHouseStore store = LocalClickHouse.NewStore();

    [Fact]
    public async Task The_chain_verifies_exports_and_names_the_first_tampered_month()
    {
        await Migrations.ApplyAsync(store, TimeProvider.System);
        var chain = Chain(20_000m, 80_000m, 1_234.5m);
        await Write(chain);
        var export = Path.Combine(Path.GetTempPath(), $"poe-salary-{Guid.NewGuid():N}.jsonl");

        var verified = await Poe("owner-salary", "transparency", "--verify", "--export", export, "--json");

        Assert.Equal(0, verified.ExitCode);
        using (var result = JsonDocument.Parse(verified.Output))
        {
            Assert.True(result.RootElement.GetProperty("valid").GetBoolean());
            Assert.Equal(3, result.RootElement.GetProperty("reports").GetInt32());
        }

        var lines = await File.ReadAllLinesAsync(export);
        Assert.Equal(3, lines.Length);
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            var encoding = entry.RootElement.GetProperty("canonical_encoding").GetString()!;
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(encoding))), entry.RootElement.GetProperty("transparency_hash").GetString());
        }

        File.Delete(export);

        // Someone changes December's payout in the history.
        await Write([chain[1] with { Payout = chain[1].Payout + 1m }]);
        var broken = await Poe("owner-salary", "transparency", "--verify");

        Assert.Equal(5, broken.ExitCode);
        Assert.Contains("The chain is broken at 2026-12", broken.Output);
    }

    public void Dispose() => store.Dispose();

    private Task<(int ExitCode, string Output)> Poe(params string[] args) =>
        CliRunner.RunAsync([.. args, "--clickhouse-url", LocalClickHouse.ServerUrl, "--clickhouse-database", store.Options.Database]);

    private static List<OwnerSalaryReport> Chain(params decimal[] grossByMonth)
    {
        var reports = new List<OwnerSalaryReport>();
        var previous = TransparencyChain.GenesisHash;
        for (var i = 0; i < grossByMonth.Length; i++)
        {
            var report = OwnerSalaryCalculator.Compute(new YearMonth(2026, 11).AddMonths(i), grossByMonth[i], new OwnerSalaryPolicy(), approved: i == 0, halted: false, previous);
            reports.Add(report);
            previous = report.TransparencyHash;
        }

        return reports;
    }

    private Task Write(IEnumerable<OwnerSalaryReport> reports) =>
        store.InsertAsync(Tables.OwnerSalaryReports.Name, Tables.OwnerSalaryReports.Columns, reports.Select(r => new object?[]
        {
            r.Month.ToString(), r.Gross, r.Capped, r.ExcessToTreasury, r.Immediate, r.Escrow, r.Payout, r.Vested,
            r.VestingSchedule.Select(t => t.Month.ToString()).ToArray(), r.VestingSchedule.Select(t => t.Amount).ToArray(),
            r.Status.ToString(), r.PreviousHash, r.TransparencyHash,
        }).ToList());
}
