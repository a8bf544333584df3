using System.Numerics;
using Avro;

namespace PoeStreams.Contracts;

/// <summary>
/// Maps <see cref="decimal"/> to the topics' Avro <c>decimal(38, 18)</c>. The Avro serializer requires
/// a value's scale to equal the schema's, so every value is rescaled to exactly 18 places: 1.5 and
/// 1.500 encode to the same bytes.
/// </summary>
public static class WireDecimal
{
    public const int Scale = 18;

    private static readonly BigInteger[] PowersOfTen =
        Enumerable.Range(0, Scale + 1).Select(n => BigInteger.Pow(10, n)).ToArray();

    /// <summary>Rounds half-to-even to 18 places and encodes at scale 18.</summary>
    public static AvroDecimal ToAvro(decimal value)
    {
        var rounded = decimal.Round(value, Scale, MidpointRounding.ToEven);
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(rounded, bits);
        var mantissa = ((BigInteger)(uint)bits[2] << 64) | ((BigInteger)(uint)bits[1] << 32) | (uint)bits[0];
        if (rounded < 0m)
        {
            mantissa = -mantissa;
        }

        return new AvroDecimal(mantissa * PowersOfTen[Scale - rounded.Scale], Scale);
    }

    /// <summary>The value of an Avro decimal; throws <see cref="OverflowException"/> beyond decimal's range.</summary>
    public static decimal FromAvro(AvroDecimal value) => AvroDecimal.ToDecimal(value);

    /// <summary>The value of an optional Avro decimal.</summary>
    public static decimal? FromAvro(AvroDecimal? value) => value is { } present ? FromAvro(present) : null;
}
