using System.Text.Json;
using System.Text.Json.Serialization;
using Confluent.Kafka;
using Streamiz.Kafka.Net.SerDes;

namespace PoeStreams.Topology.Serialization;

/// <summary>
/// JSON for internal topics and state stores: not a public contract, but readable in a changelog and
/// exact for decimals (written as numbers with their digits, read back unchanged).
/// </summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize<T>(bytes, Options) ?? throw new JsonException($"Null {typeof(T).Name}.");
}

/// <summary>A Streamiz SerDes over <see cref="Json"/>.</summary>
public sealed class JsonValueSerDes<T> : AbstractSerDes<T>
{
    public override byte[] Serialize(T data, SerializationContext context) => Json.Serialize(data);

    public override T Deserialize(byte[] data, SerializationContext context) => Json.Deserialize<T>(data);
}
