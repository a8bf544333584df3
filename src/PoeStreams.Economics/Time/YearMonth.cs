using System.Globalization;

namespace PoeStreams.Economics.Time;

/// <summary>A UTC calendar month, written <c>YYYY-MM</c> (owner-salary periods, reputation decay).</summary>
public readonly record struct YearMonth : IComparable<YearMonth>
{
    public YearMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        Year = year;
        Month = month;
    }

    public int Year { get; }

    public int Month { get; }

    /// <summary>The UTC month that contains <paramref name="timestamp"/>.</summary>
    public static YearMonth Of(DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        return new YearMonth(utc.Year, utc.Month);
    }

    /// <summary>Parses exactly <c>YYYY-MM</c>.</summary>
    public static bool TryParse(string? text, out YearMonth month)
    {
        month = default;
        if (text is not { Length: 7 } || text[4] != '-'
            || !int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || year < 1 || m is < 1 or > 12)
        {
            return false;
        }

        month = new YearMonth(year, m);
        return true;
    }

    public static YearMonth Parse(string text) =>
        TryParse(text, out var month)
            ? month
            : throw new FormatException($"'{text}' is not a month in the form YYYY-MM.");

    /// <summary>Number of UTC month boundaries crossed going from <paramref name="from"/> to <paramref name="to"/> (0 when not later).</summary>
    public static int BoundariesCrossed(DateTimeOffset from, DateTimeOffset to) =>
        Math.Max(0, Of(to).Ordinal - Of(from).Ordinal);

    public DateTimeOffset Start => new(Year, Month, 1, 0, 0, 0, TimeSpan.Zero);

    public YearMonth AddMonths(int months)
    {
        var ordinal = Ordinal + months;
        return new YearMonth(ordinal / 12, (ordinal % 12) + 1);
    }

    public int CompareTo(YearMonth other) => Ordinal.CompareTo(other.Ordinal);

    public static bool operator <(YearMonth left, YearMonth right) => left.CompareTo(right) < 0;

    public static bool operator >(YearMonth left, YearMonth right) => left.CompareTo(right) > 0;

    public static bool operator <=(YearMonth left, YearMonth right) => left.CompareTo(right) <= 0;

    public static bool operator >=(YearMonth left, YearMonth right) => left.CompareTo(right) >= 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    private int Ordinal => (Year * 12) + Month - 1;
}
