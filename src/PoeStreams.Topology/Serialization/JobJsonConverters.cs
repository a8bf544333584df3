using System.Text.Json;
using System.Text.Json.Serialization;
using PoeStreams.Economics;
using PoeStreams.Economics.Minting;

namespace PoeStreams.Topology.Serialization;

/// <summary>
/// The JSON of the types every job carries through the claim stage and stage 1 (the sequenced record,
/// its source record and the job), read and written by hand: System.Text.Json builds records of more
/// than four constructor parameters through an argument cache that boxes each value, and these are
/// most of what the worker parses. The text is the serializer's own, property for property (tested
/// against it), so records and changelogs written before or after read the same. Property names are
/// matched as written, unescaped, as the serializer writes them.
/// </summary>
internal static class JobJson
{
    public static T Enum<T>(ref Utf8JsonReader reader)
        where T : struct, Enum =>
        reader.TokenType == JsonTokenType.Number
            ? (T)System.Enum.ToObject(typeof(T), reader.GetInt32())
            : System.Enum.TryParse<T>(reader.GetString(), ignoreCase: true, out var value) ? value : throw new JsonException($"'{reader.GetString()}' is not a {typeof(T).Name}.");

    // As the string enum converter writes it: a defined value by name, any other as its number.
    public static void Write<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, T value)
        where T : struct, Enum
    {
        if (System.Enum.IsDefined(value))
        {
            writer.WriteString(name, value.ToString());
        }
        else
        {
            writer.WriteNumber(name, Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    // Moves to the next property name of an object, or returns false at its end.
    public static bool NextProperty(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.EndObject)
        {
            return false;
        }

        if (reader.TokenType != JsonTokenType.PropertyName)
        {
            throw new JsonException($"Expected a property name, found {reader.TokenType}.");
        }

        return true;
    }

    public static void ExpectStart(ref Utf8JsonReader reader, JsonTokenType start)
    {
        if (reader.TokenType != start)
        {
            throw new JsonException($"Expected {start}, found {reader.TokenType}.");
        }
    }
}

/// <summary>A <see cref="SourceRecord"/> as <c>{"topic", "partition", "offset", "timestamp", "key", "value"}</c>, the bytes in base64 and left out when null.</summary>
internal sealed class SourceRecordJsonConverter : JsonConverter<SourceRecord>
{
    public override SourceRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JobJson.ExpectStart(ref reader, JsonTokenType.StartObject);
        string topic = null!;
        int partition = 0;
        long offset = 0, timestamp = 0;
        byte[]? key = null, value = null;
        while (JobJson.NextProperty(ref reader))
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("topic"u8))
            {
                topic = reader.GetString()!;
            }
            else if (name.SequenceEqual("partition"u8))
            {
                partition = reader.GetInt32();
            }
            else if (name.SequenceEqual("offset"u8))
            {
                offset = reader.GetInt64();
            }
            else if (name.SequenceEqual("timestamp"u8))
            {
                timestamp = reader.GetInt64();
            }
            else if (name.SequenceEqual("key"u8))
            {
                key = reader.TokenType == JsonTokenType.Null ? null : reader.GetBytesFromBase64();
            }
            else if (name.SequenceEqual("value"u8))
            {
                value = reader.TokenType == JsonTokenType.Null ? null : reader.GetBytesFromBase64();
            }
            else
            {
                reader.Skip();
            }
        }

        return new SourceRecord(topic, partition, offset, timestamp, key, value);
    }

    public override void Write(Utf8JsonWriter writer, SourceRecord record, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("topic"u8, record.Topic);
        writer.WriteNumber("partition"u8, record.Partition);
        writer.WriteNumber("offset"u8, record.Offset);
        writer.WriteNumber("timestamp"u8, record.Timestamp);
        if (record.Key is not null)
        {
            writer.WriteBase64String("key"u8, record.Key);
        }

        if (record.Value is not null)
        {
            writer.WriteBase64String("value"u8, record.Value);
        }

        writer.WriteEndObject();
    }
}

/// <summary>
/// An <see cref="EconomicJob"/> with its revenue streams, as the serializer writes them: derived values
/// included (each stream's revenue, whether the job is verified, its dock-lock revenue) and skipped on
/// reading, where they are derived again.
/// </summary>
internal sealed class EconomicJobJsonConverter : JsonConverter<EconomicJob>
{
    public override EconomicJob Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JobJson.ExpectStart(ref reader, JsonTokenType.StartObject);
        string jobId = null!, minerId = null!;
        JobType type = default;
        VerificationStatus status = default;
        decimal value = 0, quality = 0;
        DateTimeOffset completion = default;
        List<RevenueStream> streams = null!;
        while (JobJson.NextProperty(ref reader))
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (name.SequenceEqual("job_id"u8))
            {
                jobId = reader.GetString()!;
            }
            else if (name.SequenceEqual("miner_id"u8))
            {
                minerId = reader.GetString()!;
            }
            else if (name.SequenceEqual("type"u8))
            {
                type = JobJson.Enum<JobType>(ref reader);
            }
            else if (name.SequenceEqual("value"u8))
            {
                value = reader.GetDecimal();
            }
            else if (name.SequenceEqual("quality_score"u8))
            {
                quality = reader.GetDecimal();
            }
            else if (name.SequenceEqual("status"u8))
            {
                status = JobJson.Enum<VerificationStatus>(ref reader);
            }
            else if (name.SequenceEqual("completion_time"u8))
            {
                completion = reader.GetDateTimeOffset();
            }
            else if (name.SequenceEqual("revenue_streams"u8))
            {
                streams = reader.TokenType == JsonTokenType.Null ? null! : Streams(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }

        return new EconomicJob(jobId, minerId, type, value, quality, status, completion, streams);
    }

    public override void Write(Utf8JsonWriter writer, EconomicJob job, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("job_id"u8, job.JobId);
        writer.WriteString("miner_id"u8, job.MinerId);
        JobJson.Write(writer, "type"u8, job.Type);
        writer.WriteNumber("value"u8, job.Value);
        writer.WriteNumber("quality_score"u8, job.QualityScore);
        JobJson.Write(writer, "status"u8, job.Status);
        writer.WriteString("completion_time"u8, job.CompletionTime);
        if (job.RevenueStreams is not null)
        {
            writer.WriteStartArray("revenue_streams"u8);
            foreach (var stream in job.RevenueStreams)
            {
                writer.WriteStartObject();
                JobJson.Write(writer, "type"u8, stream.Type);
                writer.WriteNumber("quantity"u8, stream.Quantity);
                writer.WriteNumber("unit_price"u8, stream.UnitPrice);
                writer.WriteNumber("revenue"u8, stream.Revenue);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteBoolean("is_verified"u8, job.IsVerified);
        writer.WriteNumber("dock_lock_revenue"u8, job.DockLockRevenue);
        writer.WriteEndObject();
    }

    private static List<RevenueStream> Streams(ref Utf8JsonReader reader)
    {
        JobJson.ExpectStart(ref reader, JsonTokenType.StartArray);
        var streams = new List<RevenueStream>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            JobJson.ExpectStart(ref reader, JsonTokenType.StartObject);
            RevenueStreamType type = default;
            decimal quantity = 0, unitPrice = 0;
            while (JobJson.NextProperty(ref reader))
            {
                var name = reader.ValueSpan;
                reader.Read();
                if (name.SequenceEqual("type"u8))
                {
                    type = JobJson.Enum<RevenueStreamType>(ref reader);
                }
                else if (name.SequenceEqual("quantity"u8))
                {
                    quantity = reader.GetDecimal();
                }
                else if (name.SequenceEqual("unit_price"u8))
                {
                    unitPrice = reader.GetDecimal();
                }
                else
                {
                    reader.Skip();
                }
            }

            streams.Add(new RevenueStream(type, quantity, unitPrice));
        }

        return streams;
    }
}

/// <summary>
/// A <see cref="SequencedEvent"/>, its payloads in declaration order and left out when null. A job's
/// parts and the jobs of a batch are read here; the other payloads, rare by comparison, by the serializer.
/// </summary>
internal sealed class SequencedEventJsonConverter : JsonConverter<SequencedEvent>
{
    private static readonly SourceRecordJsonConverter Sources = new();
    private static readonly EconomicJobJsonConverter Jobs = new();

    public override SequencedEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        JobJson.ExpectStart(ref reader, JsonTokenType.StartObject);
        SequencedKind kind = default;
        DateTimeOffset eventTime = default;
        SourceRecord? source = null, via = null;
        MinerRegistration? registration = null;
        EconomicJob? job = null;
        MetricSample? metric = null;
        GoldReserveAttestation? gold = null;
        GovernanceCommand? governance = null;
        SourceProgress? progress = null;
        List<SequencedEvent>? jobs = null;
        while (JobJson.NextProperty(ref reader))
        {
            var name = reader.ValueSpan;
            reader.Read();
            if (reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }

            if (name.SequenceEqual("kind"u8))
            {
                kind = JobJson.Enum<SequencedKind>(ref reader);
            }
            else if (name.SequenceEqual("event_time"u8))
            {
                eventTime = reader.GetDateTimeOffset();
            }
            else if (name.SequenceEqual("source"u8))
            {
                source = Sources.Read(ref reader, typeof(SourceRecord), options);
            }
            else if (name.SequenceEqual("job"u8))
            {
                job = Jobs.Read(ref reader, typeof(EconomicJob), options);
            }
            else if (name.SequenceEqual("via"u8))
            {
                via = Sources.Read(ref reader, typeof(SourceRecord), options);
            }
            else if (name.SequenceEqual("jobs"u8))
            {
                jobs = Batch(ref reader, options);
            }
            else if (name.SequenceEqual("registration"u8))
            {
                registration = JsonSerializer.Deserialize<MinerRegistration>(ref reader, options);
            }
            else if (name.SequenceEqual("metric"u8))
            {
                metric = JsonSerializer.Deserialize<MetricSample>(ref reader, options);
            }
            else if (name.SequenceEqual("gold"u8))
            {
                gold = JsonSerializer.Deserialize<GoldReserveAttestation>(ref reader, options);
            }
            else if (name.SequenceEqual("governance"u8))
            {
                governance = JsonSerializer.Deserialize<GovernanceCommand>(ref reader, options);
            }
            else if (name.SequenceEqual("progress"u8))
            {
                progress = JsonSerializer.Deserialize<SourceProgress>(ref reader, options);
            }
            else
            {
                reader.Skip();
            }
        }

        return new SequencedEvent(kind, eventTime, source, registration, job, metric, gold, governance, progress, via, jobs);
    }

    public override void Write(Utf8JsonWriter writer, SequencedEvent message, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        JobJson.Write(writer, "kind"u8, message.Kind);
        writer.WriteString("event_time"u8, message.EventTime);
        if (message.Source is not null)
        {
            writer.WritePropertyName("source"u8);
            Sources.Write(writer, message.Source, options);
        }

        Payload(writer, "registration"u8, message.Registration, options);
        if (message.Job is not null)
        {
            writer.WritePropertyName("job"u8);
            Jobs.Write(writer, message.Job, options);
        }

        Payload(writer, "metric"u8, message.Metric, options);
        if (message.Gold is { } gold)
        {
            writer.WritePropertyName("gold"u8);
            JsonSerializer.Serialize(writer, gold, options);
        }

        Payload(writer, "governance"u8, message.Governance, options);
        Payload(writer, "progress"u8, message.Progress, options);
        if (message.Via is not null)
        {
            writer.WritePropertyName("via"u8);
            Sources.Write(writer, message.Via, options);
        }

        if (message.Jobs is not null)
        {
            writer.WriteStartArray("jobs"u8);
            foreach (var claimed in message.Jobs)
            {
                Write(writer, claimed, options);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void Payload<T>(Utf8JsonWriter writer, ReadOnlySpan<byte> name, T? payload, JsonSerializerOptions options)
        where T : class
    {
        if (payload is not null)
        {
            writer.WritePropertyName(name);
            JsonSerializer.Serialize(writer, payload, options);
        }
    }

    private List<SequencedEvent> Batch(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        JobJson.ExpectStart(ref reader, JsonTokenType.StartArray);
        var jobs = new List<SequencedEvent>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            jobs.Add(Read(ref reader, typeof(SequencedEvent), options));
        }

        return jobs;
    }
}
