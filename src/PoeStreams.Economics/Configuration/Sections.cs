using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Configuration;

/// <summary><c>fee_structure</c>: the per-job fee rates (SPEC §4).</summary>
public sealed record FeeStructure
{
    public decimal TotalFeeRate { get; init; } = 0.01m;

    public decimal MinerLockRate { get; init; } = 0.002m;

    public decimal MinerSpendableRate { get; init; } = 0.003m;

    public decimal OwnerSalaryRate { get; init; } = 0.002m;

    public decimal TreasuryRate { get; init; } = 0.003m;

    /// <summary>Rules for this section alone; governance updates are checked with the same rules.</summary>
    public IReadOnlyList<string> Validate() => OptionRules.Check("fee_structure", Validate);

    internal void Validate(OptionRules rules)
    {
        rules.Fraction("total_fee_rate", TotalFeeRate);
        rules.Fraction("miner_lock_rate", MinerLockRate);
        rules.Fraction("miner_spendable_rate", MinerSpendableRate);
        rules.Fraction("owner_salary_rate", OwnerSalaryRate);
        rules.Fraction("treasury_rate", TreasuryRate);
        var sum = MinerLockRate + MinerSpendableRate + OwnerSalaryRate + TreasuryRate;
        if (sum != TotalFeeRate)
        {
            rules.AddForSection(
                $"miner_lock_rate + miner_spendable_rate + owner_salary_rate + treasury_rate = {DecimalMath.ToDisplayString(sum)}"
                + $" but total_fee_rate = {DecimalMath.ToDisplayString(TotalFeeRate)}; they must be equal");
        }
    }
}

/// <summary><c>poe_parameters</c>: the PoE index weights, scales and the NEX threshold (SPEC §5, §7).</summary>
public sealed record PoeParameters
{
    public decimal VolumeWeight { get; init; } = 0.30m;

    public decimal LiquidityWeight { get; init; } = 0.25m;

    public decimal UptimeWeight { get; init; } = 0.25m;

    public decimal QualityWeight { get; init; } = 0.20m;

    /// <summary>Γ at or above which NEX is minted.</summary>
    public decimal MinPoeThreshold { get; init; } = 0.1m;

    /// <summary>scale_V: the verified job value that makes the volume component equal its weight.</summary>
    public decimal VolumeScale { get; init; } = 1_000_000m;

    /// <summary>scale_L: the net liquidity that makes the liquidity component equal its weight.</summary>
    public decimal LiquidityScale { get; init; } = 1_000_000m;

    public IReadOnlyList<string> Validate() => OptionRules.Check("poe_parameters", Validate);

    internal void Validate(OptionRules rules)
    {
        rules.Fraction("volume_weight", VolumeWeight);
        rules.Fraction("liquidity_weight", LiquidityWeight);
        rules.Fraction("uptime_weight", UptimeWeight);
        rules.Fraction("quality_weight", QualityWeight);
        var sum = VolumeWeight + LiquidityWeight + UptimeWeight + QualityWeight;
        if (sum != 1m)
        {
            rules.AddForSection(
                $"volume_weight + liquidity_weight + uptime_weight + quality_weight = {DecimalMath.ToDisplayString(sum)}; they must sum to 1");
        }

        rules.Fraction("min_poe_threshold", MinPoeThreshold);
        rules.Positive("volume_scale", VolumeScale);
        rules.Positive("liquidity_scale", LiquidityScale);
    }
}

/// <summary><c>owner_salary</c>: the owner-salary guardrails (SPEC §8).</summary>
public sealed record OwnerSalaryPolicy
{
    public decimal MonthlyCapUsd { get; init; } = 50_000m;

    /// <summary>Share of the capped salary that vests instead of being paid at once.</summary>
    public decimal VestingPercentage { get; init; } = 0.3m;

    public int VestingPeriodMonths { get; init; } = 12;

    /// <summary>Share of the immediate part held in escrow.</summary>
    public decimal EscrowPercentage { get; init; } = 0.1m;

    /// <summary>When true a month's report stays PendingApproval until governance approves it.</summary>
    public bool GovernanceApproval { get; init; } = true;

    public bool TransparencyReporting { get; init; } = true;

    /// <summary>When false, governance halt events are rejected.</summary>
    public bool EmergencyHaltEnabled { get; init; } = true;

    public IReadOnlyList<string> Validate() => OptionRules.Check("owner_salary", Validate);

    internal void Validate(OptionRules rules)
    {
        rules.NotNegative("monthly_cap_usd", MonthlyCapUsd);
        rules.Fraction("vesting_percentage", VestingPercentage);
        rules.Fraction("escrow_percentage", EscrowPercentage);
        if (VestingPeriodMonths is < 1 or > 120)
        {
            rules.Add("vesting_period_months", $"must be between 1 and 120, got {VestingPeriodMonths}");
        }
    }
}

/// <summary><c>mining_rewards</c>: miner scoring (SPEC §6).</summary>
public sealed record MiningRewardsParameters
{
    public bool PrestigeBonusEnabled { get; init; } = true;

    public bool DiversityBonusEnabled { get; init; } = true;

    /// <summary>Upper bound of a job's quality multiplier 1 + quality_score.</summary>
    public decimal QualityMultiplierMax { get; init; } = 2.0m;

    /// <summary>Reputation lost at each UTC month boundary.</summary>
    public decimal ReputationDecayRate { get; init; } = 0.05m;

    /// <summary>β: how far one active epoch moves reputation toward the epoch's quality.</summary>
    public decimal ReputationLearningRate { get; init; } = 0.1m;

    public decimal SpecializationBonus { get; init; } = 0.10m;

    /// <summary>λP at reputation 1.</summary>
    public decimal PrestigeMax { get; init; } = 1.5m;

    /// <summary>λD − 1 at maximal job-type entropy (ln 10).</summary>
    public decimal DiversityBonusMax { get; init; } = 0.25m;

    public IReadOnlyList<string> Validate() => OptionRules.Check("mining_rewards", Validate);

    internal void Validate(OptionRules rules)
    {
        rules.AtLeast("quality_multiplier_max", QualityMultiplierMax, 1m);
        rules.Fraction("reputation_decay_rate", ReputationDecayRate);
        rules.Fraction("reputation_learning_rate", ReputationLearningRate);
        rules.NotNegative("specialization_bonus", SpecializationBonus);
        rules.AtLeast("prestige_max", PrestigeMax, 1m);
        rules.NotNegative("diversity_bonus_max", DiversityBonusMax);
    }
}

/// <summary><c>minting</c>: NEX, FLX and AUR mint rules (SPEC §7).</summary>
public sealed record MintingParameters
{
    public decimal NexEpochCap { get; init; } = 1_000m;

    /// <summary>α: weight of pending_tx × avg_gas_price in the FLX net demand.</summary>
    public decimal FluxAlpha { get; init; } = 0.00001m;

    /// <summary>β: weight of the tx-fee moving average.</summary>
    public decimal FluxBeta { get; init; } = 1m;

    /// <summary>γ: weight of queue_length / 1000.</summary>
    public decimal FluxGamma { get; init; } = 0.5m;

    public decimal FluxDemandThreshold { get; init; } = 1m;

    public decimal FluxElasticity { get; init; } = 1_000m;

    public decimal FluxEpochCap { get; init; } = 5_000m;

    /// <summary>How many epochs with NetworkLoad samples the fee moving average spans.</summary>
    public int FluxFeeWindowEpochs { get; init; } = 12;

    /// <summary>Required attested gold units per AUR.</summary>
    public decimal AurumGoldBackingRatio { get; init; } = 1.0m;

    public IReadOnlyList<string> Validate() => OptionRules.Check("minting", Validate);

    internal void Validate(OptionRules rules)
    {
        rules.NotNegative("nex_epoch_cap", NexEpochCap);
        rules.NotNegative("flux_alpha", FluxAlpha);
        rules.NotNegative("flux_beta", FluxBeta);
        rules.NotNegative("flux_gamma", FluxGamma);
        rules.NotNegative("flux_demand_threshold", FluxDemandThreshold);
        rules.NotNegative("flux_elasticity", FluxElasticity);
        rules.NotNegative("flux_epoch_cap", FluxEpochCap);
        if (FluxFeeWindowEpochs is < 1 or > 10_000)
        {
            rules.Add("flux_fee_window_epochs", $"must be between 1 and 10000, got {FluxFeeWindowEpochs}");
        }

        rules.Positive("aurum_gold_backing_ratio", AurumGoldBackingRatio);
    }
}

/// <summary><c>token_supply</c>: supplies before the first epoch. GEN is fixed by its genesis allocation.</summary>
public sealed record TokenSupplyParameters
{
    public decimal NexInitialSupply { get; init; }

    public decimal FlxInitialSupply { get; init; }

    public decimal AurInitialSupply { get; init; }

    public IReadOnlyList<string> Validate() => OptionRules.Check("token_supply", Validate);

    internal void Validate(OptionRules rules)
    {
        rules.NotNegative("nex_initial_supply", NexInitialSupply);
        rules.NotNegative("flx_initial_supply", FlxInitialSupply);
        rules.NotNegative("aur_initial_supply", AurInitialSupply);
    }
}

/// <summary><c>epochs</c>: the tumbling event-time window and its grace period (SPEC §5).</summary>
public sealed record EpochParameters
{
    public int LengthSeconds { get; init; } = 300;

    public int GraceSeconds { get; init; } = 60;

    /// <summary>How long a job id stays claimed: a copy of it within this time of the first is a duplicate.</summary>
    public int JobIdHorizonDays { get; init; } = 35;

    public TimeSpan Length => TimeSpan.FromSeconds(LengthSeconds);

    public TimeSpan Grace => TimeSpan.FromSeconds(GraceSeconds);

    public TimeSpan JobIdHorizon => TimeSpan.FromDays(JobIdHorizonDays);

    public IReadOnlyList<string> Validate() => OptionRules.Check("epochs", Validate);

    internal void Validate(OptionRules rules)
    {
        if (LengthSeconds is < 1 or > 86_400)
        {
            rules.Add("length_seconds", $"must be between 1 and 86400, got {LengthSeconds}");
        }
        else if (86_400 % LengthSeconds != 0)
        {
            // Epochs must tile a UTC day so that every month boundary is an epoch boundary.
            rules.Add("length_seconds", $"must divide a day (86400 s) evenly, got {LengthSeconds}");
        }

        if (GraceSeconds is < 0 or > 86_400)
        {
            rules.Add("grace_seconds", $"must be between 0 and 86400, got {GraceSeconds}");
        }

        if (JobIdHorizonDays is < 1 or > 3650)
        {
            rules.Add("job_id_horizon_days", $"must be between 1 and 3650, got {JobIdHorizonDays}");
        }
    }
}
