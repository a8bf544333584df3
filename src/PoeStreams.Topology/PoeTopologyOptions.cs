using PoeStreams.Economics.Configuration;

namespace PoeStreams.Topology;

/// <summary>What the topology is built from: the economics and the few stream settings it depends on.</summary>
public sealed record PoeTopologyOptions
{
    /// <summary>Kafka Streams application id; prefixes consumer group and changelog topics.</summary>
    public string ApplicationId { get; init; } = "poe-streams";

    /// <summary>Partitions of the input, sequenced and output topics (one stage-1 task each).</summary>
    public int Partitions { get; init; } = 4;

    /// <summary>How far an event's time may be ahead of its record's timestamp before it is rejected.</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often each stage-1 task checks the wall clock for epochs to close while input is idle.</summary>
    public TimeSpan WallClockCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    public PoeMiningOptions Economics { get; init; } = new();

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(Economics.Validate());
        if (string.IsNullOrWhiteSpace(ApplicationId))
        {
            problems.Add("application_id: must not be empty");
        }

        if (Partitions is < 1 or > 1024)
        {
            problems.Add($"partitions: must be between 1 and 1024, got {Partitions}");
        }

        if (MaxFutureSkew < TimeSpan.Zero)
        {
            problems.Add($"max_future_skew: must not be negative, got {MaxFutureSkew}");
        }

        if (WallClockCheckInterval < TimeSpan.FromMilliseconds(10) || WallClockCheckInterval > TimeSpan.FromSeconds(10))
        {
            // Above 10 s the specification's close deadline (end + grace + 10 s) cannot be met.
            problems.Add($"wall_clock_check_interval: must be between 10 ms and 10 s, got {WallClockCheckInterval}");
        }

        return problems;
    }
}
