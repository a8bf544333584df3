using Confluent.Kafka;
using Microsoft.Extensions.Logging.Abstractions;
using PoeStreams.Contracts;
using Streamiz.Kafka.Net;

namespace PoeStreams.Worker.UnitTests;

/// <summary>A record the broker refuses: a dead letter is skipped, anything that carries money stops the thread.</summary>
public class RecordFailurePolicyTests
{
    private readonly RecordFailurePolicy policy = new(NullLogger.Instance);

    [Fact]
    public void A_refused_dead_letter_is_skipped_so_the_stream_goes_on() =>
        Assert.Equal(ProductionExceptionHandlerResponse.CONTINUE, policy.OnProduceFailed(Refused(PoeTopics.DeadLetters)));

    [Theory]
    [InlineData(PoeTopics.JobFees)]
    [InlineData(PoeTopics.Rewards)]
    [InlineData(PoeTopics.Sequenced)]
    [InlineData("poe-streams-miners-changelog")]
    public void A_refused_output_internal_record_or_changelog_write_stops_the_thread(string topic) =>
        Assert.Equal(ProductionExceptionHandlerResponse.FAIL, policy.OnProduceFailed(Refused(topic)));

    private static DeliveryReport<byte[], byte[]> Refused(string topic) => new()
    {
        Topic = topic,
        Message = new Message<byte[], byte[]> { Value = new byte[2_000_000] },
        Error = new Error(ErrorCode.MsgSizeTooLarge),
    };
}
