using System.Globalization;

namespace PoeStreams.Economics.Time;

/// <summary>
/// A tumbling event-time window (SPEC §5). Windows are aligned to midnight UTC (a valid epoch length
/// divides a day), so every worker and every replay assigns an event to the same window.
/// </summary>
public readonly record struct EpochWindow(DateTimeOffset Start, DateTimeOffset End)
{
    /// <summary>The epoch id: the window start in UTC ISO-8601, e.g. <c>2026-11-25T08:35:00Z</c>.</summary>
    public string Id => FormatId(Start);

    public TimeSpan Length => End - Start;

    /// <summary>The window of <paramref name="length"/> that contains <paramref name="timestamp"/>.</summary>
    public static EpochWindow Containing(DateTimeOffset timestamp, TimeSpan length)
    {
        if (length <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Epoch length must be positive.");
        }

        var ticks = timestamp.UtcTicks;
        var startTicks = ticks - PositiveModulo(ticks, length.Ticks);
        var start = new DateTimeOffset(startTicks, TimeSpan.Zero);
        return new EpochWindow(start, start + length);
    }

    /// <summary>The window that starts at <paramref name="start"/>.</summary>
    public static EpochWindow StartingAt(DateTimeOffset start, TimeSpan length) =>
        new(start.ToUniversalTime(), start.ToUniversalTime() + length);

    /// <summary>Parses an epoch id written by <see cref="Id"/>.</summary>
    public static DateTimeOffset ParseId(string epochId) =>
        DateTimeOffset.ParseExact(epochId, IdFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <summary>Whether <paramref name="epochId"/> has the form of an epoch id (e.g. <c>2026-11-25T12:00:00Z</c>).</summary>
    public static bool IsId(string? epochId) =>
        DateTimeOffset.TryParseExact(epochId, IdFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    public bool Contains(DateTimeOffset timestamp) => timestamp >= Start && timestamp < End;

    public EpochWindow Next => new(End, End + Length);

    public override string ToString() => Id;

    private const string IdFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    private static string FormatId(DateTimeOffset start) =>
        start.UtcDateTime.ToString(IdFormat, CultureInfo.InvariantCulture);

    private static long PositiveModulo(long value, long modulus)
    {
        var remainder = value % modulus;
        return remainder < 0 ? remainder + modulus : remainder;
    }
}
