using System.Buffers.Binary;
using System.Collections.Concurrent;
using Avro.IO;
using Avro.Specific;
using Confluent.Kafka;
using Confluent.SchemaRegistry;

namespace PoeStreams.Contracts;

/// <summary>
/// Confluent's Avro wire format (magic byte 0, the schema id as a big-endian int, the Avro body),
/// written and read synchronously. Confluent's <c>AvroSerializer</c> and <c>AvroDeserializer</c> are
/// asynchronous; called from a stream thread each record hopped through the thread pool, which cost more
/// than the decoding itself. This codec asks the registry once per subject and once per writer schema
/// id, and is byte for byte what Confluent's serializer writes (TopicNameStrategy subjects).
/// </summary>
public sealed class AvroCodec<T>
    where T : class, ISpecificRecord, new()
{
    private const byte MagicByte = 0;
    private const int HeaderLength = 5;
    private static readonly Avro.Schema ReaderSchema = new T().Schema;
    private readonly ISchemaRegistryClient registry;
    private readonly bool autoRegisterSchemas;
    private readonly SpecificWriter<T> writer = new(ReaderSchema);
    // By writer schema id: its reader, or none for a schema of another record type (with that type's name).
    private readonly ConcurrentDictionary<int, (SpecificReader<T>? Reader, string WriterName)> readers = new();
    private readonly ConcurrentDictionary<string, byte[]> headersBySubject = new(StringComparer.Ordinal);

    /// <param name="autoRegisterSchemas">Registers the schema under its subject when first written (as Confluent's serializer does by default); otherwise looks its id up.</param>
    public AvroCodec(ISchemaRegistryClient registry, bool autoRegisterSchemas = true)
    {
        this.registry = registry;
        this.autoRegisterSchemas = autoRegisterSchemas;
    }

    public byte[] Serialize(T value, string topic, MessageComponentType component = MessageComponentType.Value)
    {
        var header = headersBySubject.GetOrAdd(component == MessageComponentType.Key ? $"{topic}-key" : $"{topic}-value", HeaderOf);
        using var stream = new MemoryStream(256);
        stream.Write(header);
        writer.Write(value, new BinaryEncoder(stream));
        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">The bytes do not start with Confluent's framing.</exception>
    /// <exception cref="WrongSchemaException">They were written with the schema of another record type.</exception>
    public T Deserialize(byte[] data)
    {
        if (data.Length < HeaderLength)
        {
            throw new InvalidDataException($"Expecting data framing of length {HeaderLength} bytes or more but total data size is {data.Length} bytes");
        }

        if (data[0] != MagicByte)
        {
            throw new InvalidDataException($"Expecting data with Confluent Schema Registry framing. Magic byte was {data[0]}, expecting {MagicByte}");
        }

        var schemaId = BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(1, 4));
        var (reader, writerName) = readers.GetOrAdd(schemaId, ReaderOf);
        if (reader is null)
        {
            throw new WrongSchemaException($"schema id {schemaId} is not a {ReaderSchema.Fullname}: {writerName}");
        }

        using var body = new MemoryStream(data, HeaderLength, data.Length - HeaderLength, writable: false);
        // A fresh instance to fill: without one Avro looks the record type up by name for every record.
        return reader.Read(new T(), new BinaryDecoder(body));
    }

    // The registry is asked once per subject and schema id; those calls may block the stream thread once.
    private byte[] HeaderOf(string subject)
    {
        var schema = new Schema(ReaderSchema.ToString(), SchemaType.Avro);
        var id = autoRegisterSchemas
            ? registry.RegisterSchemaAsync(subject, schema).GetAwaiter().GetResult()
            : registry.GetSchemaIdAsync(subject, schema).GetAwaiter().GetResult();
        var header = new byte[HeaderLength];
        header[0] = MagicByte;
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(1), id);
        return header;
    }

    private (SpecificReader<T>?, string) ReaderOf(int schemaId)
    {
        var writerSchema = Avro.Schema.Parse(registry.GetSchemaAsync(schemaId).GetAwaiter().GetResult().SchemaString);
        return (writerSchema.Fullname == ReaderSchema.Fullname ? new SpecificReader<T>(new InstanceCachingReader(writerSchema, ReaderSchema)) : null, writerSchema.Fullname);
    }
}

/// <summary>The bytes are Avro of another record type than the one expected (another topic's record).</summary>
public sealed class WrongSchemaException(string message) : Exception(message);

/// <summary>
/// Avro's specific reader, with the types of the records and lists it fills looked up once per schema.
/// Avro (1.12) finds a nested record's class by its full name for every record it reads, and a list's
/// by generating its C# type name from the schema and then finding it, for every list: a few percent of
/// the stream thread for the revenue streams of every job. What it reads is unchanged: Avro still fills
/// each instance.
/// </summary>
internal sealed class InstanceCachingReader(Avro.Schema writerSchema, Avro.Schema readerSchema) : SpecificDefaultReader(writerSchema, readerSchema)
{
    private readonly ConcurrentDictionary<Avro.Schema, Type> types = new(ReferenceEqualityComparer.Instance);

    protected override object ReadRecord(object reuse, Avro.RecordSchema writerSchema, Avro.Schema readerSchema, Decoder dec) =>
        base.ReadRecord(reuse ?? New(readerSchema, schema => ((Avro.RecordSchema)schema).Name is null ? null : ObjectCreator.Instance.GetType(schema.Fullname, Avro.Schema.Type.Record)), writerSchema, readerSchema, dec);

    protected override object ReadArray(object reuse, Avro.ArraySchema writerSchema, Avro.Schema readerSchema, Decoder dec) =>
        base.ReadArray(reuse ?? New(readerSchema, schema => ObjectCreator.Instance.New(getTargetType(schema), Avro.Schema.Type.Array).GetType()), writerSchema, readerSchema, dec);

    // An instance of the schema's type, or null (Avro then makes one) for a schema without a class.
    private object? New(Avro.Schema schema, Func<Avro.Schema, Type?> typeOf)
    {
        if (!types.TryGetValue(schema, out var type))
        {
            type = typeOf(schema);
            if (type is null)
            {
                return null;
            }

            types[schema] = type;
        }

        return Activator.CreateInstance(type);
    }
}
