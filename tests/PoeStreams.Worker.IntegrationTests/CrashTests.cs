using PoeStreams.Contracts;
using Xunit.Abstractions;

namespace PoeStreams.Worker.IntegrationTests;

/// <summary>
/// SIGKILL at random moments, again and again, while the input arrives (at-least-once): every value the
/// worker sends for any key of the compared topics is the value an uninterrupted worker sends for it,
/// and no key is missing. The uninterrupted worker reads the same input as a backfill produced before
/// it starts, so the test also shows that a backfill gives the live outputs, with every epoch. The
/// worker runs as a process of its own in both runs. The run crosses the end of October, so the
/// month's salary report is in it. <c>POE_CRASH_EPOCHS</c>, <c>POE_CRASH_JOBS_PER_EPOCH</c> and
/// <c>POE_CRASH_PARTITIONS</c> size the run: <c>make soak</c> runs about 100k records (the local
/// broker's 5 MiB per partition needs more partitions for that).
/// </summary>
public class CrashTests(ITestOutputHelper output)
{
    private const int GraceSeconds = 60;
    private const int Kills = 10;
    private static readonly string[] Compared =
        [PoeTopics.Index, PoeTopics.Rewards, PoeTopics.RewardManifests, PoeTopics.Mints, PoeTopics.OwnerSalary, PoeTopics.JobFees, PoeTopics.DeadLetters];

    private static readonly int Epochs = Setting("POE_CRASH_EPOCHS", 24);
    private static readonly int JobsPerEpoch = Setting("POE_CRASH_JOBS_PER_EPOCH", 400);
    private static readonly int Partitions = Setting("POE_CRASH_PARTITIONS", 8);

    // 0 makes the uninterrupted worker read the input live (make soak: a 100k backfill would pass the
    // local broker's 5 MiB on poe.sequenced before stage 1 reads it, and the worker rightly stops).
    private static readonly bool ReferenceIsBackfill = Setting("POE_CRASH_BACKFILL", 1) == 1;

    // Half the epochs before the end of October, half after.
    private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(-5 * (Epochs / 2));

    // Minutes to wait for a run's outputs: enough for the default size on two cores, more for larger runs.
    private static readonly double Scale = Math.Max(1, Epochs * JobsPerEpoch / (24 * 400.0));

    [Fact]
    public async Task Ten_sigkills_while_the_input_arrives_change_no_output()
    {
        var started = DateTime.UtcNow;
        var reference = await RunAsync(kills: 0, timeout: TimeSpan.FromMinutes(4 * Scale));
        output.WriteLine($"uninterrupted run {DateTime.UtcNow - started:g}");
        started = DateTime.UtcNow;
        var crashed = await RunAsync(kills: Kills, timeout: TimeSpan.FromMinutes(6 * Scale), expected: reference);
        output.WriteLine($"run with {Kills} SIGKILLs {DateTime.UtcNow - started:g}");

        Assert.Equal(Epochs, reference[PoeTopics.RewardManifests].Count);
        Assert.Equal(["2026-10"], reference[PoeTopics.OwnerSalary].Keys);
        Assert.Equal(2, reference[PoeTopics.OwnerSalary]["2026-10"].Count); // pending approval, then approved
        foreach (var topic in Compared)
        {
            Assert.Equal(reference[topic].Keys, crashed[topic].Keys);
            var differing = reference[topic].Where(r => !crashed[topic][r.Key].SetEquals(r.Value)).Select(r => r.Key).ToList();
            Assert.True(differing.Count == 0, $"{topic}: {differing.Count} keys have other values after the SIGKILLs, e.g. {string.Join(", ", differing.Take(5))}");
        }
    }

    private static int Setting(string name, int defaultValue) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : defaultValue;

    // Every distinct value per key of each compared topic, once the outputs are complete: for the
    // uninterrupted run, every epoch's manifest and the month's approved report, then a quiet second;
    // for a run with SIGKILLs, every key of the reference run.
    private async Task<Dictionary<string, SortedDictionary<string, HashSet<string>>>> RunAsync(
        int kills, TimeSpan timeout, Dictionary<string, SortedDictionary<string, HashSet<string>>>? expected = null)
    {
        await using var cluster = await PoeCluster.StartAsync(GraceSeconds, Partitions);

        // Records on every input partition after each epoch's end + grace close it by event time, as
        // steady traffic on every topic would; otherwise the sparse topics' partitions would close
        // epochs only by wall clock, once idle for the grace period.
        var input = Scenarios.Steady(Start, Epochs, miners: 60, JobsPerEpoch)
            .Concat(Enumerable.Range(1, Epochs).SelectMany(e => cluster.Closers(Start.AddMinutes(5 * e).AddSeconds(GraceSeconds + 1))))
            .OrderBy(r => r.At)
            .ToList();
        output.WriteLine($"{input.Count} input records");
        var log = Path.Combine(Path.GetTempPath(), $"poe-crash-{Guid.NewGuid():N}.log");
        // The uninterrupted run reads the whole input as a backfill produced before it starts.
        var worker = kills > 0 || !ReferenceIsBackfill ? cluster.StartWorkerProcess(log) : null;
        try
        {
            using var outputs = cluster.Outputs([PoeTopics.Sequenced, .. Compared]);
            var random = new Random(11);

            // The input arrives in slices, each while the worker is down. The restarted worker is killed
            // while it processes the slice: at a random moment of its first seconds, or right after it
            // has published an epoch (when stage 1 has just closed epochs and nothing is committed yet).
            var slices = input.Chunk((input.Count / (kills + 1)) + 1).ToList();
            for (var i = 0; i < slices.Count; i++)
            {
                outputs.ReadUntilQuiet(TimeSpan.FromMilliseconds(500));
                var sequenced = outputs.Count(PoeTopics.Sequenced);
                var manifests = outputs.Count(PoeTopics.RewardManifests);
                foreach (var record in slices[i])
                {
                    cluster.Produce(record);
                }

                cluster.Flush();
                if (i < kills)
                {
                    outputs.WaitUntil(o => o.Count(PoeTopics.Sequenced) > sequenced, timeout, "the worker to process the slice");
                    if (i % 2 == 0)
                    {
                        await Task.Delay(random.Next(0, 4000));
                    }
                    else
                    {
                        var latest = DateTime.UtcNow.AddSeconds(15);
                        outputs.WaitUntil(o => o.Count(PoeTopics.RewardManifests) > manifests || DateTime.UtcNow > latest, timeout, "an epoch to be published");
                        await Task.Delay(random.Next(0, 300));
                    }

                    worker!.Kill();
                    worker.Dispose();
                    worker = cluster.StartWorkerProcess(log);
                }
            }

            worker ??= cluster.StartWorkerProcess(log);
            try
            {
                if (expected is null)
                {
                    outputs.WaitUntil(
                        o => o.Keys(PoeTopics.RewardManifests).Distinct().Count() == Epochs && o.Read<Contracts.OwnerSalaryReport>(PoeTopics.OwnerSalary).Any(r => r.Value.status == Contracts.OwnerSalaryStatus.Approved),
                        timeout,
                        "every epoch's manifest and the approved salary report");
                    var quietUntil = DateTime.UtcNow.AddSeconds(3);
                    outputs.WaitUntil(_ => DateTime.UtcNow > quietUntil, TimeSpan.FromSeconds(10), "a quiet moment");
                }
                else
                {
                    outputs.WaitUntil(
                        o => Compared.All(topic => expected[topic].Keys.All(new HashSet<string>(o.Keys(topic)).Contains)),
                        timeout,
                        "every key of the uninterrupted run");
                }
            }
            catch (Exception)
            {
                output.WriteLine($"worker log: {log}\n" + string.Join("\n", File.ReadLines(log).TakeLast(40)));
                throw;
            }

            return Compared.ToDictionary(topic => topic, outputs.Distinct);
        }
        finally
        {
            worker?.Dispose();
        }
    }
}
