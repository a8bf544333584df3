using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using PoeStreams.Contracts;
using Streamiz.Kafka.Net;

namespace PoeStreams.Worker;

/// <summary>
/// What a stream thread does with one record it cannot write or read, decided per record and logged.
/// Input records cannot cause either: they are read as bytes and anything too large to copy on is
/// dead-lettered at ingest with its size, hash and a prefix. What remains:
/// <list type="bullet">
/// <item>a dead letter the broker refuses is logged with its source and skipped, so one bad record
/// never stops the stream;</item>
/// <item>any other output, internal record or changelog write the broker refuses stops the thread:
/// skipping it would silently change rewards, which is worse than stopping with the reason logged;</item>
/// <item>an internal record that cannot be read (written by an incompatible version) stops the thread
/// for the same reason.</item>
/// </list>
/// </summary>
public sealed class RecordFailurePolicy(ILogger logger)
{
    public ProductionExceptionHandlerResponse OnProduceFailed(DeliveryReport<byte[], byte[]> report)
    {
        if (report.Topic == PoeTopics.DeadLetters)
        {
            logger.LogError(
                "A dead letter of {Bytes} bytes was refused by the broker and is skipped ({Reason}); its source is in the worker's log above",
                report.Message?.Value?.Length ?? 0,
                report.Error.Reason);
            return ProductionExceptionHandlerResponse.CONTINUE;
        }

        logger.LogCritical(
            "The broker refused a record for {Topic} ({Reason}); the stream thread stops rather than lose it",
            report.Topic,
            report.Error.Reason);
        return ProductionExceptionHandlerResponse.FAIL;
    }

    public ExceptionHandlerResponse OnUnreadable(ProcessorContext context, ConsumeResult<byte[], byte[]> record, Exception exception)
    {
        logger.LogCritical(
            "Record {Topic}[{Partition}]@{Offset} cannot be read ({Reason}); the stream thread stops rather than skip it",
            record.Topic,
            record.Partition.Value,
            record.Offset.Value,
            exception.Message);
        return ExceptionHandlerResponse.FAIL;
    }
}
