namespace PoeStreams.Topology.Serialization;

/// <summary>
/// A record on its way to a sink: its topic, key, value and timestamp. Its partition is the murmur2
/// partition of its key, as any Kafka producer's default places it. The step's sinks route it by its
/// topic, so the processors stay free of topic plumbing.
/// </summary>
public sealed record Emit(string Topic, string Key, object Value, long Timestamp);
