using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
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
    public void A_rebalance_flag_left_set_is_cleared_after_the_checks_in_a_row()
    {
        var guard = new StuckRebalanceGuard(stream, NullLogger.Instance);
        SetFlag(true);

        var cleared = Enumerable.Range(0, StuckRebalanceGuard.ChecksBeforeClearing).Select(_ => guard.Check()).ToList();

        Assert.Equal([.. Enumerable.Repeat(0, StuckRebalanceGuard.ChecksBeforeClearing - 1), 1], cleared);
        Assert.False(Flag());
    }

    [Fact]
    public void A_flag_that_clears_between_checks_is_left_to_Streamiz()
    {
        var guard = new StuckRebalanceGuard(stream, NullLogger.Instance);

        for (var check = 0; check < 2 * StuckRebalanceGuard.ChecksBeforeClearing; check++)
        {
            // A rebalance in progress at every other check only: never the same one twice in a row.
            SetFlag(check % 2 == 0);
            Assert.Equal(0, guard.Check());
        }
    }

    private List<object> TaskManagers()
    {
        var threads = (Array)typeof(KafkaStream).GetField("threads", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(stream)!;
        return [.. threads.Cast<object>().Select(t => t.GetType().GetProperty("Manager", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(t)!)];
    }

    private PropertyInfo FlagProperty => TaskManagers()[0].GetType().GetProperty("RebalanceInProgress")!;

    private bool Flag() => (bool)FlagProperty.GetValue(TaskManagers()[0])!;

    private void SetFlag(bool value) => FlagProperty.SetValue(TaskManagers()[0], value);
}
