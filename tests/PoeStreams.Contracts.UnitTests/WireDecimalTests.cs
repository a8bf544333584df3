using System.Numerics;

namespace PoeStreams.Contracts.UnitTests;

public class WireDecimalTests
{
    [Theory]
    [InlineData("1.5")]
    [InlineData("1.500")]
    [InlineData("-0.000000000000000001")]
    [InlineData("79228162514.264337593543950335")]
    [InlineData("0")]
    public void Values_are_encoded_at_scale_18_and_read_back(string text)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        var avro = WireDecimal.ToAvro(value);

        Assert.Equal(18, avro.Scale);
        Assert.Equal(decimal.Round(value, 18), WireDecimal.FromAvro(avro));
    }

    [Fact]
    public void Equal_values_of_different_scale_encode_identically()
    {
        Assert.Equal(WireDecimal.ToAvro(1.5m).UnscaledValue, WireDecimal.ToAvro(1.500000m).UnscaledValue);
        Assert.Equal(BigInteger.Parse("1500000000000000000", System.Globalization.CultureInfo.InvariantCulture), WireDecimal.ToAvro(1.5m).UnscaledValue);
    }

    [Fact]
    public void Digits_beyond_18_places_round_half_to_even()
    {
        Assert.Equal(0m, WireDecimal.FromAvro(WireDecimal.ToAvro(0.0000000000000000005m)));
        Assert.Equal(0.000000000000000002m, WireDecimal.FromAvro(WireDecimal.ToAvro(0.0000000000000000015m)));
    }

    [Fact]
    public void A_value_beyond_decimal_range_fails_to_convert()
    {
        var huge = new Avro.AvroDecimal(BigInteger.Pow(10, 50), 18); // 1e32, past decimal's 7.9e28

        Assert.ThrowsAny<OverflowException>(() => WireDecimal.FromAvro(huge));
    }

    [Theory]
    [InlineData("99999999999999999999.99999999")] // as close to 10^20 as decimal's 28 digits go
    [InlineData("-99999999999999999999.99999999")]
    public void Amounts_just_below_ten_to_the_twenty_are_read(string text)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(value, WireDecimal.FromAvro(WireDecimal.ToAvro(value)));
    }

    [Theory]
    [InlineData("100000000000000000000")]
    [InlineData("-100000000000000000000")]
    [InlineData("1000000000000000000000")]
    public void An_amount_of_twenty_one_integer_digits_is_refused_with_its_value(string text)
    {
        var value = decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

        var refused = Assert.Throws<OverflowException>(() => WireDecimal.FromAvro(WireDecimal.ToAvro(value)));
        Assert.Contains("decimal(38, 18)", refused.Message, StringComparison.Ordinal);
    }
}
