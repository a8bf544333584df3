using Avro;

namespace PoeStreams.Contracts;

/// <summary>
/// BACKWARD compatibility, as Confluent Schema Registry checks it: a consumer with the new schema can
/// read every record written with the old one (Avro schema resolution). Each problem names the field,
/// symbol or type that breaks it, so a failed check says what to fix.
/// </summary>
public static class SchemaCompatibility
{
    /// <summary>Why <paramref name="reader"/> cannot read data written with <paramref name="writer"/>; empty when it can.</summary>
    public static IReadOnlyList<string> BackwardProblems(Schema reader, Schema writer)
    {
        var problems = new List<string>();
        Check(reader, writer, reader.Fullname ?? reader.Name, problems, []);
        return problems;
    }

    private static void Check(Schema reader, Schema writer, string path, List<string> problems, HashSet<(string, string)> seen)
    {
        if (writer is UnionSchema writerUnion)
        {
            // Every branch the old schema may have written must still be readable.
            foreach (var branch in writerUnion.Schemas)
            {
                Check(reader, branch, path, problems, seen);
            }

            return;
        }

        if (reader is UnionSchema readerUnion)
        {
            if (!readerUnion.Schemas.Any(branch => BackwardProblems(branch, writer).Count == 0))
            {
                problems.Add($"{path}: no branch of the new union reads the old {Describe(writer)}");
            }

            return;
        }

        if (reader is LogicalSchema || writer is LogicalSchema)
        {
            if (Describe(reader) != Describe(writer))
            {
                problems.Add($"{path}: type changed from {Describe(writer)} to {Describe(reader)}");
            }

            return;
        }

        switch (reader)
        {
            case RecordSchema readerRecord when writer is RecordSchema writerRecord:
                if (!seen.Add((readerRecord.Fullname, writerRecord.Fullname)))
                {
                    return;
                }

                foreach (var field in readerRecord.Fields)
                {
                    var old = writerRecord.Fields.FirstOrDefault(f => f.Name == field.Name || (field.Aliases?.Contains(f.Name) ?? false));
                    if (old is not null)
                    {
                        Check(field.Schema, old.Schema, $"{path}.{field.Name}", problems, seen);
                    }
                    else if (field.DefaultValue is null)
                    {
                        problems.Add($"{path}.{field.Name}: added without a default, so records written before it cannot be read");
                    }
                }

                return;
            case EnumSchema readerEnum when writer is EnumSchema writerEnum:
                if (readerEnum.Default is null)
                {
                    foreach (var symbol in writerEnum.Symbols.Where(s => !readerEnum.Symbols.Contains(s)))
                    {
                        problems.Add($"{path}: symbol {symbol} removed (and the enum has no default)");
                    }
                }

                return;
            case ArraySchema readerArray when writer is ArraySchema writerArray:
                Check(readerArray.ItemSchema, writerArray.ItemSchema, $"{path}[]", problems, seen);
                return;
            case MapSchema readerMap when writer is MapSchema writerMap:
                Check(readerMap.ValueSchema, writerMap.ValueSchema, $"{path}{{}}", problems, seen);
                return;
            case FixedSchema readerFixed when writer is FixedSchema writerFixed:
                if (readerFixed.Size != writerFixed.Size)
                {
                    problems.Add($"{path}: fixed size changed from {writerFixed.Size} to {readerFixed.Size}");
                }

                return;
            case PrimitiveSchema when writer is PrimitiveSchema && Promotes(writer.Tag, reader.Tag):
                return;
            default:
                problems.Add($"{path}: type changed from {Describe(writer)} to {Describe(reader)}");
                return;
        }
    }

    // Avro's promotions: a reader may widen what the writer wrote.
    private static bool Promotes(Schema.Type written, Schema.Type read) =>
        written == read
        || (written, read) is (Schema.Type.Int, Schema.Type.Long or Schema.Type.Float or Schema.Type.Double)
            or (Schema.Type.Long, Schema.Type.Float or Schema.Type.Double)
            or (Schema.Type.Float, Schema.Type.Double)
            or (Schema.Type.String, Schema.Type.Bytes)
            or (Schema.Type.Bytes, Schema.Type.String);

    private static string Describe(Schema schema) => schema switch
    {
        LogicalSchema { LogicalTypeName: "decimal" } decimalSchema =>
            $"decimal({decimalSchema.GetProperty("precision")}, {decimalSchema.GetProperty("scale")})",
        LogicalSchema logical => $"{logical.LogicalTypeName} ({logical.BaseSchema.Tag.ToString().ToLowerInvariant()})",
        NamedSchema named => $"{named.Tag.ToString().ToLowerInvariant()} {named.Fullname}",
        _ => schema.Tag.ToString().ToLowerInvariant(),
    };
}
