namespace PoeStreams.Topology.UnitTests;

/// <summary>The extremes the batch tests serialize against.</summary>
internal static class WireSizes
{
    /// <summary>Kafka's default message.max.bytes.</summary>
    public const int KafkaMessageLimit = 1_000_000;

    /// <summary>A decimal prints in at most 31 characters: a sign, 29 digits and a point.</summary>
    public const decimal LongestAmount = -7.9228162514264337593543950335m;
}
