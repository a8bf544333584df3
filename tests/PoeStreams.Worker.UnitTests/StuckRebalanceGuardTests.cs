using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Worker.UnitTests;

public sealed class StuckRebalanceGuardTests : IDisposable
{
    private readonly KafkaStream stream;

    public StuckRebalanceGuardTests()
    {
        var builder = new StreamBuilder();
        builder.Stream<string, string>("in").To("out");
        // Never started: the threads and their task managers exist without a broker.
        stream = new KafkaStream(builder.Build(), new StreamConfig<StringSerDes, StringSerDes>
        {
            ApplicationId = $"guard-{Guid.NewGuid():N}",
            BootstrapServers = "127.0.0.1:1",
            StateDir = Path.Combine(Path.GetTempPath(), $"guard-{Guid.NewGuid():N}"),
        });
    }

    public void Dispose() => stream.Dispose();

    [Fact]
    public void The_Streamiz_version_in_use_has_the_members_the_workaround_needs()
    {
        Assert.True(StuckRebalanceGuard.Applicable);
        Assert.Single(TaskManagers());
    }

    [Fact]
    public void A_rebalance_flag_left_set_for_the_checks_in_a_row_is_a_stuck_thread()
    {
        var guard = new StuckRebalanceGuard(stream);
        SetFlag(true);

        var verdicts = Enumerable.Range(0, StuckRebalanceGuard.ChecksBeforeStuck).Select(_ => guard.Stuck()).ToList();

        Assert.Equal([.. Enumerable.Repeat(false, StuckRebalanceGuard.ChecksBeforeStuck - 1), true], verdicts);
    }

    [Fact]
    public void A_flag_that_clears_between_checks_is_a_rebalance_in_progress()
    {
        var guard = new StuckRebalanceGuard(stream);

        for (var check = 0; check < 2 * StuckRebalanceGuard.ChecksBeforeStuck; check++)
        {
            // A rebalance in progress at every other check only: never the same one twice in a row.
            SetFlag(check % 2 == 0);
            Assert.False(guard.Stuck());
        }
    }

    private List<object> TaskManagers() => [.. StuckRebalanceGuard.TaskManagers(stream)];

    private void SetFlag(bool value) => StuckRebalanceGuard.RebalanceFlag(TaskManagers()[0])!.SetValue(TaskManagers()[0], value);
}
