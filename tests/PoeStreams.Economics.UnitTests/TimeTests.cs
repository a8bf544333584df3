using PoeStreams.Economics.Time;

namespace PoeStreams.Economics.UnitTests;

public class TimeTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);

    [Fact]
    public void Epoch_containing_a_timestamp_starts_at_the_window_boundary()
    {
        var window = EpochWindow.Containing(new DateTimeOffset(2026, 11, 25, 8, 37, 12, TimeSpan.Zero), FiveMinutes);

        Assert.Equal("2026-11-25T08:35:00Z", window.Id);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 8, 40, 0, TimeSpan.Zero), window.End);
    }

    [Fact]
    public void Epoch_boundaries_belong_to_the_later_window_and_offsets_do_not_matter()
    {
        var boundary = new DateTimeOffset(2026, 11, 25, 10, 40, 0, TimeSpan.FromHours(2)); // 08:40Z

        Assert.Equal("2026-11-25T08:40:00Z", EpochWindow.Containing(boundary, FiveMinutes).Id);
        Assert.Equal("2026-11-25T08:35:00Z", EpochWindow.Containing(boundary.AddTicks(-1), FiveMinutes).Id);
    }

    [Fact]
    public void Epoch_id_round_trips()
    {
        var window = EpochWindow.Containing(new DateTimeOffset(2026, 1, 31, 23, 59, 59, TimeSpan.Zero), FiveMinutes);

        Assert.Equal(window.Start, EpochWindow.ParseId(window.Id));
        Assert.Equal(window.End, window.Next.Start);
    }

    [Theory]
    [InlineData("2026-11", 2026, 11)]
    [InlineData("0001-01", 1, 1)]
    public void Months_parse(string text, int year, int month)
    {
        Assert.Equal(new YearMonth(year, month), YearMonth.Parse(text));
        Assert.Equal(text, YearMonth.Parse(text).ToString());
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026-1")]
    [InlineData("26-11")]
    [InlineData("2026/11")]
    [InlineData("+026-11")]
    [InlineData("")]
    [InlineData(null)]
    public void Malformed_months_are_rejected(string? text)
    {
        Assert.False(YearMonth.TryParse(text, out _));
    }

    [Fact]
    public void Month_arithmetic_crosses_years()
    {
        Assert.Equal(new YearMonth(2027, 1), new YearMonth(2026, 12).AddMonths(1));
        Assert.Equal(new YearMonth(2025, 12), new YearMonth(2026, 1).AddMonths(-1));
        Assert.True(new YearMonth(2026, 12) < new YearMonth(2027, 1));
    }

    [Fact]
    public void Month_boundaries_crossed()
    {
        var jan31 = new DateTimeOffset(2026, 1, 31, 23, 59, 59, TimeSpan.Zero);

        Assert.Equal(0, YearMonth.BoundariesCrossed(jan31, jan31.AddSeconds(-100)));
        Assert.Equal(1, YearMonth.BoundariesCrossed(jan31, jan31.AddSeconds(1)));
        Assert.Equal(13, YearMonth.BoundariesCrossed(jan31, new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero)));
    }
}
