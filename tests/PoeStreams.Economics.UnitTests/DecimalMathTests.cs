using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.UnitTests;

public class DecimalMathTests
{
    [Theory]
    [InlineData("1.234567899", "1.23456789")]
    [InlineData("382.716049382716049", "382.71604938")]
    [InlineData("5", "5")]
    [InlineData("-0.000000001", "-0.00000001")]
    public void Floor_to_token_scale_rounds_down(string value, string expected)
    {
        Assert.Equal(Dec(expected), DecimalMath.FloorToTokenScale(Dec(value)));
    }

    [Theory]
    [InlineData("0.0000000000000000005", "0")]
    [InlineData("0.0000000000000000015", "0.000000000000000002")]
    [InlineData("0.3333333333333333333333", "0.333333333333333333")]
    public void Round_to_wire_scale_is_half_to_even(string value, string expected)
    {
        Assert.Equal(Dec(expected), DecimalMath.RoundToWireScale(Dec(value)));
    }

    [Theory]
    [InlineData("1", "0")]
    [InlineData("2", "0.6931471805599453094172321215")]
    [InlineData("0.5", "-0.6931471805599453094172321215")]
    [InlineData("10", "2.3025850929940456840179914547")]
    [InlineData("0.000001", "-13.815510557964274104107948728")]
    public void Ln_matches_known_values_to_25_places(string value, string expected)
    {
        Assert.Equal(Math.Round(Dec(expected), 25), Math.Round(DecimalMath.Ln(Dec(value)), 25));
    }

    [Fact]
    public void Ln_rejects_non_positive_values()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DecimalMath.Ln(0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => DecimalMath.Ln(-1m));
    }

    [Fact]
    public void Pow_by_squaring()
    {
        Assert.Equal(0.857375m, DecimalMath.Pow(0.95m, 3));
        Assert.Equal(1m, DecimalMath.Pow(0.95m, 0));
        Assert.Equal(1024m, DecimalMath.Pow(2m, 10));
    }

    [Fact]
    public void Renderings_do_not_depend_on_a_values_scale()
    {
        Assert.Equal("0.08", DecimalMath.ToDisplayString(0.080000m));
        Assert.Equal("100000", DecimalMath.ToDisplayString(100_000.00m));
        Assert.Equal(DecimalMath.ToCanonicalString(1.5m), DecimalMath.ToCanonicalString(1.500m));
        Assert.Equal("1.500000000000000000", DecimalMath.ToCanonicalString(1.5m));
    }

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
