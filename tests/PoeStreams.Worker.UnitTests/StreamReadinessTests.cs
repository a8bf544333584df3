using Confluent.Kafka;

namespace PoeStreams.Worker.UnitTests;

/// <summary>/health says ready only when the stream runs with every state store restored.</summary>
public class StreamReadinessTests
{
    private static readonly TopicPartition Changelog = new("poe-streams-miners-changelog", 2);

    [Fact]
    public void A_running_stream_that_still_restores_a_store_is_not_ready()
    {
        var readiness = new StreamReadiness();
        readiness.RestoreStarted("miners", Changelog);
        readiness.StateChanged("RUNNING");

        Assert.False(readiness.IsReady);
        Assert.Equal("RUNNING, RESTORING 1 changelog partition(s)", readiness.Describe());
    }

    [Fact]
    public void The_stream_is_ready_once_every_restore_has_ended()
    {
        var readiness = new StreamReadiness();
        readiness.StateChanged("RUNNING");
        readiness.RestoreStarted("miners", Changelog);
        readiness.RestoreEnded("miners", Changelog);

        Assert.True(readiness.IsReady);
        Assert.Equal("RUNNING", readiness.Describe());
    }

    [Theory]
    [InlineData("STARTING")]
    [InlineData("REBALANCING")]
    [InlineData("ERROR")]
    public void A_stream_that_is_not_running_is_not_ready(string state)
    {
        var readiness = new StreamReadiness();
        readiness.StateChanged(state);

        Assert.False(readiness.IsReady);
    }
}
