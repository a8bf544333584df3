using PoeStreams.Economics.Configuration;
using PoeStreams.Topology.Governance;

namespace PoeStreams.Topology.UnitTests;

public class ParameterTimelineTests
{
    private static readonly DateTimeOffset T0 = TopologyHarness.T0;

    [Fact]
    public void Patches_apply_from_their_epoch_on_whatever_order_they_arrive_in()
    {
        var a = Patch("a", T0.AddMinutes(5), ("poe_parameters.min_poe_threshold", "0.2"));
        var b = Patch("b", T0.AddMinutes(10), ("poe_parameters.min_poe_threshold", "0.3"), ("minting.nex_epoch_cap", "500"));

        var forward = ParameterTimeline.Starting(new PoeMiningOptions()).With(a, out _).With(b, out _);
        var backward = ParameterTimeline.Starting(new PoeMiningOptions()).With(b, out _).With(a, out _);

        foreach (var timeline in new[] { forward, backward })
        {
            Assert.Equal(0.1m, timeline.At(T0).PoeParameters.MinPoeThreshold);
            Assert.Equal(0.2m, timeline.At(T0.AddMinutes(5)).PoeParameters.MinPoeThreshold);
            Assert.Equal(0.3m, timeline.At(T0.AddMinutes(10)).PoeParameters.MinPoeThreshold);
            Assert.Equal(500m, timeline.At(T0.AddMinutes(15)).Minting.NexEpochCap);
        }
    }

    [Theory]
    [InlineData("poe_parameters.volume_weight", "0.5", "must sum to 1")]
    [InlineData("owner_salary.governance_approval", "maybe", "is not true or false")]
    [InlineData("owner_salary.vesting_period_months", "1.5", "")]
    [InlineData("minting.nex_epoch_cap", "lots", "is not a number")]
    [InlineData("epochs.grace_seconds", "10", "fixed at start-up")]
    [InlineData("token_supply.nex_initial_supply", "10", "fixed at start-up")]
    [InlineData("fee_structure", "1", "unknown parameter")]
    public void Invalid_patches_are_refused_with_a_reason(string key, string value, string reason)
    {
        var timeline = ParameterTimeline.Starting(new PoeMiningOptions()).With(Patch("x", T0, (key, value)), out var rejection);

        Assert.NotNull(rejection);
        Assert.Contains(reason, rejection);
        Assert.Empty(timeline.Patches);
    }

    [Fact]
    public void A_boolean_and_an_integer_can_be_changed()
    {
        var timeline = ParameterTimeline.Starting(new PoeMiningOptions())
            .With(Patch("x", T0, ("owner_salary.governance_approval", "false"), ("owner_salary.vesting_period_months", "24")), out var rejection);

        Assert.Null(rejection);
        Assert.False(timeline.At(T0).OwnerSalary.GovernanceApproval);
        Assert.Equal(24, timeline.At(T0).OwnerSalary.VestingPeriodMonths);
    }

    private static ParameterPatch Patch(string id, DateTimeOffset effective, params (string Key, string Value)[] values) =>
        new(effective, effective.AddMinutes(-1), id, values.ToDictionary(v => v.Key, v => v.Value));
}
