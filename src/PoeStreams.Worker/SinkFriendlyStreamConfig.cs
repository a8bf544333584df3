using Confluent.Kafka;
using Streamiz.Kafka.Net;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Worker;

/// <summary>
/// The stream's configuration, with the admin configuration that Streamiz's sinks ask for on every
/// record built once. A sink with a fixed topic (the internal topics between the worker's steps) looks
/// up the topic's partition count for each record it writes (<c>StreamsProducer.PartitionsFor</c> in
/// Streamiz 1.8.2), and that first builds a whole admin configuration, reading Streamiz's assembly
/// version by reflection, only to learn the metadata refresh interval: about 5% of the stream thread.
/// That lookup is the only caller with an empty client id, and the configuration does not change once
/// the stream runs; admin clients, which name themselves, still get a configuration of their own.
/// </summary>
internal sealed class SinkFriendlyStreamConfig : StreamConfig<StringSerDes, StringSerDes>, IStreamConfig
{
    private AdminClientConfig? forPartitionLookups;

    AdminClientConfig IStreamConfig.ToAdminConfig(string clientId) =>
        clientId.Length == 0 ? forPartitionLookups ??= ToAdminConfig(clientId) : ToAdminConfig(clientId);
}
