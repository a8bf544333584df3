using PoeStreams.Economics.Configuration;
using PoeStreams.Economics.Mining;

namespace PoeStreams.Economics.UnitTests;

public class MinerScoringTests
{
    private static readonly MiningRewardsParameters Parameters = new();
    private static readonly decimal[] NoValue = new decimal[10];

    [Theory]
    [InlineData("0.9", "2.0", "1.9")]
    [InlineData("1", "2.0", "2")]
    [InlineData("0.9", "1.5", "1.5")]
    [InlineData("0", "2.0", "1")]
    public void Quality_multiplier_is_one_plus_quality_capped(string quality, string max, string expected)
    {
        var parameters = Parameters with { QualityMultiplierMax = Dec(max) };

        Assert.Equal(Dec(expected), MinerScoring.QualityMultiplier(Dec(quality), parameters));
    }

    [Fact]
    public void Specialization_bonus_applies_only_to_the_registered_type()
    {
        Assert.Equal(1.1m, MinerScoring.SpecializationFactor(JobType.Compute, JobType.Compute, Parameters));
        Assert.Equal(1m, MinerScoring.SpecializationFactor(JobType.DataStorage, JobType.Compute, Parameters));
        Assert.Equal(1m, MinerScoring.SpecializationFactor(JobType.DataStorage, null, Parameters));
    }

    [Fact]
    public void Contribution_is_value_times_quality_multiplier_times_specialization()
    {
        // 1000 × 1.9 × 1.1
        Assert.Equal(2090m, MinerScoring.Contribution(Jobs.Verified(1_000m, 0.9m, JobType.Compute), JobType.Compute, Parameters));
    }

    [Fact]
    public void Entropy_of_a_two_to_one_split()
    {
        var values = ValuesByType((JobType.Compute, 1_000m), (JobType.Transaction, 500m));

        // −(2/3 ln 2/3 + 1/3 ln 1/3) = 0.636514168294812818450…
        Assert.Equal(0.636514168294812818m, decimal.Round(MinerScoring.Entropy(values), 18));
    }

    [Fact]
    public void Entropy_is_zero_for_one_type_and_for_no_value()
    {
        Assert.Equal(0m, MinerScoring.Entropy(ValuesByType((JobType.Compute, 42m))));
        Assert.Equal(0m, MinerScoring.Entropy(NoValue));
    }

    [Fact]
    public void Diversity_bonus_grows_with_entropy_up_to_the_maximum()
    {
        Assert.Equal(1m, MinerScoring.Diversity(ValuesByType((JobType.Compute, 42m)), Parameters));
        Assert.Equal(1.069108647735918743m, MinerScoring.Diversity(ValuesByType((JobType.Compute, 1_000m), (JobType.Transaction, 500m)), Parameters));
        Assert.Equal(1.150514997831990598m, MinerScoring.Diversity(
            ValuesByType((JobType.Compute, 5m), (JobType.Transaction, 5m), (JobType.DataStorage, 5m), (JobType.AuditCompliance, 5m)), Parameters));
        Assert.Equal(1.25m, MinerScoring.Diversity(Enumerable.Repeat(3m, 10).ToArray(), Parameters));
    }

    [Fact]
    public void Disabled_bonuses_are_one()
    {
        var disabled = Parameters with { PrestigeBonusEnabled = false, DiversityBonusEnabled = false };

        Assert.Equal(1m, MinerScoring.Prestige(0.9m, disabled));
        Assert.Equal(1m, MinerScoring.Diversity(Enumerable.Repeat(3m, 10).ToArray(), disabled));
    }

    [Theory]
    [InlineData("0", "1")]
    [InlineData("0.5", "1.25")]
    [InlineData("1", "1.5")]
    public void Prestige_is_linear_in_reputation(string reputation, string expected)
    {
        Assert.Equal(Dec(expected), MinerScoring.Prestige(Dec(reputation), Parameters));
    }

    [Fact]
    public void Reputation_decays_once_per_month_boundary_then_learns_from_the_epoch()
    {
        var reputation = new Reputation(0.5m, new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero));

        // Jan 15 → Apr 2 crosses three boundaries: 0.5 × 0.95³ = 0.4286875.
        var decayed = reputation.DecayedTo(new DateTimeOffset(2026, 4, 2, 0, 0, 0, TimeSpan.Zero), Parameters);
        Assert.Equal(0.4286875m, decayed.Value);

        // Decay already applied through Apr 2 is not applied again later in April.
        Assert.Equal(0.4286875m, decayed.DecayedTo(new DateTimeOffset(2026, 4, 30, 0, 0, 0, TimeSpan.Zero), Parameters).Value);

        // 0.9 × 0.4286875 + 0.1 × 0.7
        Assert.Equal(0.45581875m, decayed.Learn(0.7m, Parameters).Value);
    }

    [Fact]
    public void A_new_miner_starts_at_zero_reputation()
    {
        var reputation = Reputation.Initial.DecayedTo(Jobs.Noon, Parameters);

        Assert.Equal(0m, reputation.Value);
        Assert.Equal(0.07m, reputation.Learn(0.7m, Parameters).Value);
    }

    [Fact]
    public void Tally_closes_into_a_score_with_prestige_from_the_reputation_before_the_epoch()
    {
        var tally = new MinerEpochTally("miner-1", JobType.Compute)
            .With(Jobs.Verified(1_000m, 0.9m, JobType.Compute), Parameters)   // 1000 × 1.9 × 1.1 = 2090
            .With(Jobs.Verified(500m, 0.5m, JobType.Transaction), Parameters) // 500 × 1.5 = 750
            .With(Jobs.WithStatus(VerificationStatus.Failed, 9_999m), Parameters);
        var reputation = new Reputation(0.5m, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero));

        var outcome = tally.Close(reputation, Jobs.Noon, Parameters);

        Assert.Equal(2, outcome.Score.JobCount);
        Assert.Equal(2_840m, outcome.Score.RawScore);
        Assert.Equal(0.7m, outcome.Score.QualityMean);
        Assert.Equal(0.475m, outcome.Score.ReputationBefore);        // one boundary: 0.5 × 0.95
        Assert.Equal(1.2375m, outcome.Score.Prestige);               // 1 + 0.5 × 0.475
        Assert.Equal(1.069108647735918743m, outcome.Score.Diversity);
        Assert.Equal(0.4975m, outcome.Score.ReputationAfter);        // 0.9 × 0.475 + 0.07
        Assert.Equal(outcome.Score.ReputationAfter, outcome.Reputation.Value);
        Assert.Equal(1_500m, outcome.Score.VerifiedValue);
    }

    [Fact]
    public void Tally_rejects_another_miners_job_and_an_inactive_close()
    {
        var tally = new MinerEpochTally("miner-1", null);

        Assert.Throws<ArgumentException>(() => tally.With(Jobs.Verified(1m, minerId: "miner-2"), Parameters));
        Assert.Throws<InvalidOperationException>(() => tally.Close(Reputation.Initial, Jobs.Noon, Parameters));
    }

    [Fact]
    public void Tally_restores_from_its_fields()
    {
        var tally = new MinerEpochTally("m", JobType.Compute).With(Jobs.Verified(10m, 0.5m, JobType.Compute, minerId: "m"), Parameters);

        var restored = MinerEpochTally.Restore(
            tally.MinerId, tally.Specialization, tally.JobCount, tally.RawScore, tally.QualitySum, tally.VerifiedValue, tally.ValueByJobType);

        Assert.Equal(tally, restored);
        Assert.NotEqual(tally, restored.With(Jobs.Verified(1m, minerId: "m"), Parameters));
    }

    [Fact]
    public void Weight_is_the_product_of_normalized_score_and_both_bonuses()
    {
        Assert.Equal(1.546875m, MinerScoring.Weight(1m, 1.2375m, 1.25m));
    }

    private static decimal[] ValuesByType(params (JobType Type, decimal Value)[] values)
    {
        var result = new decimal[10];
        foreach (var (type, value) in values)
        {
            result[(int)type] += value;
        }

        return result;
    }

    private static decimal Dec(string text) => decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
