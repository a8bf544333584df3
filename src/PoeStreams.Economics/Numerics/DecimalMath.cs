using System.Globalization;

namespace PoeStreams.Economics.Numerics;

/// <summary>
/// The explicit rounding rules of the economy (SPEC §7, §9). Every derived quantity is rounded by one of
/// these before it leaves the core, so a replay produces the same digits on every machine.
/// </summary>
public static class DecimalMath
{
    /// <summary>Scale of token amounts (NEX pool, shares, mints): 8 decimal places.</summary>
    public const int TokenScale = 8;

    /// <summary>Scale of every other decimal on the wire (Avro decimal(38, 18)).</summary>
    public const int WireScale = 18;

    /// <summary>Largest value below one at wire scale; Γ never reaches one.</summary>
    public const decimal LargestBelowOne = 0.999_999_999_999_999_999m;

    private const decimal Ln2 = 0.6931471805599453094172321215m;
    private const decimal Ln10 = 2.3025850929940456840179914547m;
    private const decimal Sqrt2 = 1.4142135623730950488016887242m;
    private const decimal HalfSqrt2 = 0.7071067811865475244008443621m;
    private const decimal SeriesTolerance = 0.000_000_000_000_000_000_000_001m;

    /// <summary>floor₈: rounds down to 8 decimal places (token amounts).</summary>
    public static decimal FloorToTokenScale(decimal value) =>
        decimal.Round(value, TokenScale, MidpointRounding.ToNegativeInfinity);

    /// <summary>Rounds half-to-even to 18 decimal places (ratios, scores, money).</summary>
    public static decimal RoundToWireScale(decimal value) =>
        decimal.Round(value, WireScale, MidpointRounding.ToEven);

    /// <summary>Rounds down to 18 decimal places.</summary>
    public static decimal FloorToWireScale(decimal value) =>
        decimal.Round(value, WireScale, MidpointRounding.ToNegativeInfinity);

    /// <summary><paramref name="value"/> raised to a non-negative whole power, by repeated squaring.</summary>
    public static decimal Pow(decimal value, int exponent)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(exponent);
        var result = 1m;
        var square = value;
        while (exponent > 0)
        {
            if ((exponent & 1) == 1)
            {
                result *= square;
            }

            exponent >>= 1;
            if (exponent > 0)
            {
                square *= square;
            }
        }

        return result;
    }

    /// <summary>
    /// Natural logarithm in decimal arithmetic. Binary floating-point Math.Log may differ in its last bits between
    /// platforms and runtimes; this one is the same everywhere, which replay determinism needs.
    /// Accurate to about 1e-26 for arguments in the range entropy uses, (0, 1].
    /// </summary>
    public static decimal Ln(decimal value)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);

        // ln(x) = k·ln 2 + ln(m) with m in [1/√2, √2), where the atanh series converges fast.
        var powerOfTwo = 0;
        while (value >= Sqrt2)
        {
            value /= 2;
            powerOfTwo++;
        }

        while (value < HalfSqrt2)
        {
            value *= 2;
            powerOfTwo--;
        }

        // ln(m) = 2·atanh(z) = 2·(z + z³/3 + z⁵/5 + …), z = (m − 1)/(m + 1), |z| ≤ 0.172.
        var z = (value - 1) / (value + 1);
        var zSquared = z * z;
        var power = z;
        var sum = 0m;
        for (var denominator = 1; ; denominator += 2)
        {
            var term = power / denominator;
            sum += term;
            if (Math.Abs(term) < SeriesTolerance)
            {
                break;
            }

            power *= zSquared;
        }

        return (2 * sum) + (powerOfTwo * Ln2);
    }

    /// <summary>ln 10, the entropy of ten equally likely job types.</summary>
    public static decimal NaturalLogOf10 => Ln10;

    /// <summary>
    /// A short, culture-free rendering for reasons and logs: no exponent, no trailing zeros
    /// (<c>0.080000</c> → <c>0.08</c>).
    /// </summary>
    public static string ToDisplayString(decimal value) =>
        value.ToString("0.############################", CultureInfo.InvariantCulture);

    /// <summary>A fixed-width rendering at wire scale, used where bytes must not depend on a value's scale.</summary>
    public static string ToCanonicalString(decimal value) =>
        RoundToWireScale(value).ToString("F18", CultureInfo.InvariantCulture);
}
