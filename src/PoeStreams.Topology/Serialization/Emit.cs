namespace PoeStreams.Topology.Serialization;

/// <summary>
/// A record on its way to a sink: its topic, key, value, timestamp and, for the internal topics, the
/// partition it must land in. One sink writes every kind of output, so the processors stay free of
/// topic plumbing.
/// </summary>
public sealed record Emit(string Topic, string Key, object Value, long Timestamp, int? Partition = null);
