using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics;

/// <summary>The five DockLock revenue stream kinds (SPEC §3).</summary>
public enum RevenueStreamType
{
    /// <summary>hourly_rate × duration_hours.</summary>
    ContainerHosting,

    /// <summary>resource_usage × unit_price.</summary>
    ComputeResources,

    /// <summary>bandwidth_gb × gb_price.</summary>
    NetworkBandwidth,

    /// <summary>storage_gb × monthly_rate.</summary>
    StorageServices,

    /// <summary>request_count × per_request_fee.</summary>
    ApiRequests,
}

/// <summary>
/// One revenue stream of a job. Every kind's revenue is a quantity times a unit price; the factory
/// methods name the two factors as SPEC §3 does.
/// </summary>
public sealed record RevenueStream(RevenueStreamType Type, decimal Quantity, decimal UnitPrice)
{
    /// <summary>Quantity × unit price, rounded to wire scale.</summary>
    public decimal Revenue => DecimalMath.RoundToWireScale(Quantity * UnitPrice);

    public static RevenueStream ContainerHosting(decimal hourlyRate, decimal durationHours) =>
        new(RevenueStreamType.ContainerHosting, durationHours, hourlyRate);

    public static RevenueStream ComputeResources(decimal resourceUsage, decimal unitPrice) =>
        new(RevenueStreamType.ComputeResources, resourceUsage, unitPrice);

    public static RevenueStream NetworkBandwidth(decimal bandwidthGb, decimal gbPrice) =>
        new(RevenueStreamType.NetworkBandwidth, bandwidthGb, gbPrice);

    public static RevenueStream StorageServices(decimal storageGb, decimal monthlyRate) =>
        new(RevenueStreamType.StorageServices, storageGb, monthlyRate);

    public static RevenueStream ApiRequests(long requestCount, decimal perRequestFee) =>
        new(RevenueStreamType.ApiRequests, requestCount, perRequestFee);

    /// <summary>DockLock revenue of a job: the sum over its streams.</summary>
    public static decimal TotalRevenue(IEnumerable<RevenueStream> streams)
    {
        var total = 0m;
        foreach (var stream in streams)
        {
            total += stream.Revenue;
        }

        return total;
    }
}
