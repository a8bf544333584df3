using FsCheck;
using FsCheck.Xunit;
using PoeStreams.Topology.Ingest;

namespace PoeStreams.Topology.UnitTests;

/// <summary>The clock of one input partition: lateness depends on that partition's log alone, replays included.</summary>
public class SourceClockTests
{
    private static readonly DateTimeOffset T0 = TopologyHarness.T0;
    private static readonly TimeSpan Epoch = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    [Fact]
    public void The_boundary_moves_when_stream_time_passes_an_epochs_end_plus_grace()
    {
        var clock = SourceClock.Initial.Apply(0, T0.AddMinutes(5), Epoch, Grace).Apply(1, T0.AddMinutes(6), Epoch, Grace);

        Assert.Equal(T0, clock.ClosedThroughBefore(1));
        Assert.Equal(T0.AddMinutes(5), clock.ClosedThrough);
        Assert.Equal(T0.AddMinutes(5), clock.ClosedThroughBefore(2));
    }

    [Fact]
    public void A_replayed_record_is_judged_by_the_boundary_it_met_the_first_time()
    {
        var clock = SourceClock.Initial.Apply(0, T0.AddSeconds(10), Epoch, Grace);
        clock = clock.Apply(1, T0.AddMinutes(20), Epoch, Grace).Apply(2, T0.AddMinutes(21), Epoch, Grace);

        // Restored ahead of the committed offset, the clock still answers for record 1 as before it moved.
        Assert.Equal(T0.AddMinutes(-5), clock.ClosedThroughBefore(1));
        Assert.Same(clock, clock.Apply(1, T0.AddMinutes(20), Epoch, Grace));
        Assert.Equal(T0.AddMinutes(15), clock.ClosedThroughBefore(2));
    }

    [Property(MaxTest = 300)]
    public bool Replaying_records_after_a_crash_changes_nothing_and_judges_them_as_before(NonNegativeInt[] secondsAfterT0, byte replayFrom)
    {
        var clock = SourceClock.Initial;
        var metFirstTime = new List<DateTimeOffset?>();
        for (var offset = 0; offset < secondsAfterT0.Length; offset++)
        {
            metFirstTime.Add(clock.ClosedThroughBefore(offset));
            clock = clock.Apply(offset, T0.AddSeconds(secondsAfterT0[offset].Get % 7200), Epoch, Grace);
        }

        // The restored clock is the latest one; the replay starts from any earlier (committed) offset.
        var replayed = clock;
        for (var offset = secondsAfterT0.Length == 0 ? 0 : replayFrom % secondsAfterT0.Length; offset < secondsAfterT0.Length; offset++)
        {
            if (replayed.ClosedThroughBefore(offset) != metFirstTime[offset])
            {
                return false;
            }

            replayed = replayed.Apply(offset, T0.AddSeconds(secondsAfterT0[offset].Get % 7200), Epoch, Grace);
        }

        return ReferenceEquals(replayed, clock);
    }

    [Fact]
    public void A_record_without_an_event_time_is_applied_without_moving_the_boundary()
    {
        var clock = SourceClock.Initial.Apply(0, T0.AddMinutes(7), Epoch, Grace).Apply(1, null, Epoch, Grace);

        Assert.Equal(1, clock.AppliedThrough);
        Assert.Equal(T0.AddMinutes(5), clock.ClosedThrough);
        Assert.Equal(clock.ClosedThroughBefore(1), clock.ClosedThroughBefore(2));
    }

    [Fact]
    public void An_idle_partition_follows_the_wall_clock_from_its_last_record_on()
    {
        var clock = SourceClock.Initial.Apply(0, T0.AddSeconds(10), Epoch, Grace).Idle(T0.AddMinutes(11), Epoch, Grace);

        Assert.Equal(T0.AddMinutes(10), clock.ClosedThrough);
        Assert.Null(clock.ClosedThroughBefore(0));
        Assert.Equal(T0.AddMinutes(10), clock.ClosedThroughBefore(1));
    }

    [Fact]
    public void Only_the_most_recent_moves_are_kept()
    {
        var clock = SourceClock.Initial;
        for (var i = 0; i < 200; i++)
        {
            clock = clock.Apply(i, T0.AddMinutes(5 * i), Epoch, Grace);
        }

        Assert.Equal(SourceClock.KeptMoves, clock.Boundaries.Count);
        Assert.Equal(T0.AddMinutes(5 * 198), clock.ClosedThrough);
    }
}
