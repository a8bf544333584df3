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

    /// <summary>
    /// The bound every amount stays below in magnitude: <c>decimal(38, 18)</c> has 20 integer digits, and
    /// every output topic and history column is that type, so a larger input could be accepted but never
    /// published or stored.
    /// </summary>
    public const decimal Limit = 100_000_000_000_000_000_000m;

    /// <summary>The value of an Avro decimal; throws <see cref="OverflowException"/> unless it is within <see cref="Limit"/>.</summary>
    public static decimal FromAvro(AvroDecimal value) => WithinLimit(AvroDecimal.ToDecimal(value));

    /// <summary><paramref name="value"/>, or an <see cref="OverflowException"/> naming <paramref name="what"/> when it is not within <see cref="Limit"/>.</summary>
    public static decimal WithinLimit(decimal value, string what = "value") =>
        Math.Abs(value) < Limit
            ? value
            : throw new OverflowException($"{what} {value} is beyond what decimal(38, 18) carries (less than 10^20 in magnitude)");

    /// <summary>The value of an optional Avro decimal.</summary>
    public static decimal? FromAvro(AvroDecimal? value) => value is { } present ? FromAvro(present) : null;
}
