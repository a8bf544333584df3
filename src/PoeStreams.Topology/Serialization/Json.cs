using System.Text.Json;
using System.Text.Json.Serialization;
using Confluent.Kafka;
using PoeStreams.Economics.Time;
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
        Converters = { new JsonStringEnumConverter(), new YearMonthJsonConverter(), new SourceRecordJsonConverter(), new EconomicJobJsonConverter(), new SequencedEventJsonConverter() },
    };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> bytes) =>
        JsonSerializer.Deserialize<T>(bytes, Options) ?? throw new JsonException($"Null {typeof(T).Name}.");
}

/// <summary>
/// <see cref="YearMonth"/> as its <c>YYYY-MM</c> text. Without it the serializer writes the two
/// numbers but reads back the struct's default (0000-00): its properties have no setters.
/// </summary>
public sealed class YearMonthJsonConverter : JsonConverter<YearMonth>
{
    public override YearMonth Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        YearMonth.TryParse(reader.GetString(), out var month) ? month : throw new JsonException($"'{reader.GetString()}' is not a month in the form YYYY-MM.");

    public override void Write(Utf8JsonWriter writer, YearMonth value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}

/// <summary>A Streamiz SerDes over <see cref="Json"/>. Nothing is written as nothing: a store's tombstone.</summary>
public sealed class JsonValueSerDes<T> : AbstractSerDes<T>
{
    public override byte[] Serialize(T data, SerializationContext context) => data is null ? null! : Json.Serialize(data);

    public override T Deserialize(byte[] data, SerializationContext context) => Json.Deserialize<T>(data);
}
