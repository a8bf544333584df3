using FsCheck;
using FsCheck.Xunit;
using PoeStreams.Economics;
using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Mining;
using PoeStreams.Economics.Minting;
using PoeStreams.Economics.Salary;
using PoeStreams.Economics.Time;
using PoeStreams.Topology.Governance;
using PoeStreams.Topology.Serialization;
using PoeStreams.Topology.Stage1;
using PoeStreams.Topology.Stage2;
using Gold = PoeStreams.Economics.Minting.GoldReserveAttestation;
using PoeTopics = PoeStreams.Contracts.PoeTopics;

namespace PoeStreams.Topology.UnitTests;

/// <summary>
/// Every type kept in a state store or internal topic reads back exactly as it was written, so a
/// restart (restoring from the changelogs) continues from the same state. The check is that writing
/// what was read gives the same bytes: a field lost on the way back (as months once were) changes them.
/// </summary>
public class StoredStateProperties
{
    private static readonly DateTimeOffset T0 = Inputs.T0;

    [Property(MaxTest = 200)]
    public bool The_economy_state_reads_back_as_it_was_written(
        NonNegativeInt[] grossByMonth, byte firstMonth, bool halted, Tuple<byte, PositiveInt>[] gold, PositiveInt[] fees, byte approvedMonths)
    {
        var state = Economy(grossByMonth.Select(g => g.Get / 7m).ToArray(), firstMonth, halted, gold, fees);
        state = state with { ApprovedMonths = state.PublishedSalaryReports.Keys.Take(approvedMonths % 4).ToList() };

        var restored = RoundTrip(state);

        return restored.PublishedSalaryReports.Values.Select(r => r.Month).SequenceEqual(state.PublishedSalaryReports.Values.Select(r => r.Month))
            && restored.PublishedSalaryReports.Values.SelectMany(r => r.VestingSchedule).SequenceEqual(state.PublishedSalaryReports.Values.SelectMany(r => r.VestingSchedule))
            && restored.Supply == state.Supply
            && restored.Gold.Equals(state.Gold);
    }

    [Property(MaxTest = 200)]
    public bool Stage_one_state_reads_back_as_it_was_written(string minerId, NonEmptyArray<NonNegativeInt> values, byte specialization, PositiveInt epochs, bool hasReputation)
    {
        minerId ??= string.Empty;
        var job = (JobType)(specialization % Enum.GetValues<JobType>().Length);
        var tally = values.Get.Aggregate(
            new MinerEpochTally(minerId, job),
            (t, v) => t.With(new EconomicJob($"j{v.Get}", minerId, job, v.Get / 3m, (v.Get % 101) / 100m, VerificationStatus.Verified, T0, []), new MiningRewardsParameters()));
        var reputation = hasReputation ? new Reputation(0.5m + (values.Get.Length / 1000m), T0.AddMinutes(epochs.Get)) : Reputation.Initial;
        var marks = new BoundaryMarks([new BoundaryMark(epochs.Get, T0), new BoundaryMark(epochs.Get + 3, T0.AddMinutes(5 * epochs.Get))]);
        var clock = new PartitionClock(T0, Enumerable.Range(0, epochs.Get % 5).Select(i => T0.AddMinutes(5 * i)).ToList())
        {
            WrittenAt = epochs.Get,
            Boundaries = [new CloseBoundary(epochs.Get, null, T0, [T0.AddMinutes(-5)]), new CloseBoundary(epochs.Get + 1, T0, T0.AddMinutes(5), [])],
        };
        var sourceClock = Enumerable.Range(0, values.Get.Length).Aggregate(
            Ingest.SourceClock.Initial, (c, i) => c.Apply(i, T0.AddSeconds(values.Get[i].Get), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(1)));

        RoundTrip(new MinerState([new MinerRegistrationAt(epochs.Get, job, T0)], [new ReputationAfter(T0, reputation)]));
        var source = new SourceRecord(PoeTopics.Jobs, 1, epochs.Get, 0, null, null);
        var applied = AppliedInputs.None.With(source, waited: false).With(source with { Offset = 3 }, waited: true);
        RoundTrip(TallyState.Of(tally) with { Applied = applied });
        RoundTrip(new ActivityState(PartitionEpochActivity.Empty with { OwnerSalary = tally.VerifiedValue / 500m, FeeSplits = values.Get.Length }, applied));
        RoundTrip(clock);
        RoundTrip(marks);
        RoundTrip(sourceClock);
        RoundTrip(new PendingJobs([new SequencedEvent(SequencedKind.Job, T0, new SourceRecord(PoeTopics.Jobs, 0, 7, 0, [1], [2]), Job: new EconomicJob("j", minerId, job, 1m, 0.5m, VerificationStatus.Verified, T0, []))]));
        var outcome = tally.Close(reputation, T0, new MiningRewardsParameters());
        RoundTrip(outcome.Score);
        return RoundTrip(TallyState.Of(tally)).ToTally().RawScore == tally.RawScore;
    }

    // A plausible economy: published salary months chained by hash, supply and fee history, gold, parameter patches.
    private static EconomyState Economy(decimal[] grossByMonth, byte firstMonth, bool halted, Tuple<byte, PositiveInt>[] gold, PositiveInt[] fees)
    {
        var state = EconomyState.Initial(new PoeTopologyOptions());
        var month = new YearMonth(2026, 1).AddMonths(firstMonth % 48);
        var previousHash = TransparencyChain.GenesisHash;
        var published = new SortedDictionary<string, OwnerSalaryReport>(StringComparer.Ordinal);
        foreach (var gross in grossByMonth)
        {
            var report = OwnerSalaryCalculator.Compute(month, gross, new OwnerSalaryPolicy(), approved: false, halted, previousHash);
            published[month.ToString()] = report;
            previousHash = report.TransparencyHash;
            month = month.AddMonths(1);
        }

        var reserves = gold.Aggregate(GoldReserves.Empty, (g, a) => g.With(new Gold($"vault-{a.Item1}", a.Item2.Get / 1000m, T0.AddMinutes(a.Item1))));
        var governance = new GovernanceCommand("g1", GovernanceActionKind.ApproveSalary, T0, "ops", new SortedDictionary<string, string>(), month.ToString(), null, null);
        return state with
        {
            ClosedThrough = T0,
            OpenEpochs = [T0.AddMinutes(5)],
            Patches = [new ParameterPatch(T0, T0.AddMinutes(-1), "p1", new SortedDictionary<string, string> { ["fee_structure.treasury_rate"] = "0.004" })],
            Supply = state.Supply.WithMinted(Token.NEX, fees.Sum(f => (decimal)f.Get) / 100_000_000m),
            FeeHistory = new FeeHistory(fees.Select(f => f.Get / 1_000_000m).ToList()),
            Gold = reserves,
            PendingGold = reserves.LatestByVault.Values.Select(a => new PendingGold(T0, a)).ToList(),
            PendingGovernance = [new PendingGovernance(T0.AddMinutes(5), governance)],
            SalaryAccruedByMonth = new SortedDictionary<string, decimal>(StringComparer.Ordinal) { [month.ToString()] = grossByMonth.Sum() },
            Halted = halted,
            PreviousSalaryHash = previousHash,
            PublishedSalaryReports = published,
            WrittenAt = fees.Length,
            Advances = [new CloseBoundary(fees.Length, null, T0, [T0.AddMinutes(-5)])],
            Rejections = [new GovernanceRejection(fees.Length, "UpdateParameters p2: out of range")],
        };
    }

    private static T RoundTrip<T>(T value)
    {
        var written = Json.Serialize(value);
        var read = Json.Deserialize<T>(written);
        var rewritten = Json.Serialize(read);
        Assert.True(written.AsSpan().SequenceEqual(rewritten), $"{typeof(T).Name} changed on the way back:\n{System.Text.Encoding.UTF8.GetString(written)}\n{System.Text.Encoding.UTF8.GetString(rewritten)}");
        return read;
    }
}
