using PoeStreams.Economics.Configuration;

namespace PoeStreams.Economics.UnitTests;

public class OptionsValidationTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Empty(new PoeMiningOptions().Validate());
    }

    [Fact]
    public void Every_broken_rule_is_listed_with_its_key()
    {
        var options = new PoeMiningOptions
        {
            FeeStructure = new FeeStructure { TreasuryRate = 0.004m },
            PoeParameters = new PoeParameters { VolumeWeight = 0.4m, VolumeScale = 0m },
            OwnerSalary = new OwnerSalaryPolicy { MonthlyCapUsd = -1m, VestingPercentage = 1.5m },
            MiningRewards = new MiningRewardsParameters { PrestigeMax = 0.5m },
            Epochs = new EpochParameters { LengthSeconds = 7, JobIdHorizonDays = 0 },
        };

        var problems = options.Validate();

        Assert.Equal(
            [
                "poe_mining.fee_structure: miner_lock_rate + miner_spendable_rate + owner_salary_rate + treasury_rate = 0.011 but total_fee_rate = 0.01; they must be equal",
                "poe_mining.poe_parameters: volume_weight + liquidity_weight + uptime_weight + quality_weight = 1.1; they must sum to 1",
                "poe_mining.poe_parameters.volume_scale: must be greater than 0, got 0",
                "poe_mining.owner_salary.monthly_cap_usd: must be 0 or more, got -1",
                "poe_mining.owner_salary.vesting_percentage: must be between 0 and 1, got 1.5",
                "poe_mining.mining_rewards.prestige_max: must be at least 1, got 0.5",
                "poe_mining.epochs.length_seconds: must divide a day (86400 s) evenly, got 7",
                "poe_mining.epochs.job_id_horizon_days: must be between 1 and 3650, got 0",
            ],
            problems);
        var error = Assert.Throws<InvalidPoeOptionsException>(() => options.EnsureValid());
        Assert.StartsWith("Invalid PoE configuration (8 problems):", error.Message);
        Assert.Equal(problems, error.Problems);
    }

    [Fact]
    public void Rates_outside_zero_to_one_are_rejected()
    {
        var problems = new FeeStructure { TotalFeeRate = 1.2m, MinerLockRate = 1.2m, MinerSpendableRate = 0m, OwnerSalaryRate = 0m, TreasuryRate = 0m }.Validate();

        Assert.Equal(
            [
                "poe_mining.fee_structure.total_fee_rate: must be between 0 and 1, got 1.2",
                "poe_mining.fee_structure.miner_lock_rate: must be between 0 and 1, got 1.2",
            ],
            problems);
    }

    [Fact]
    public void Minting_and_supply_rules()
    {
        var problems = new PoeMiningOptions
        {
            Minting = new MintingParameters { NexEpochCap = -5m, FluxFeeWindowEpochs = 0, AurumGoldBackingRatio = 0m },
            TokenSupply = new TokenSupplyParameters { AurInitialSupply = -1m },
        }.Validate();

        Assert.Equal(
            [
                "poe_mining.minting.nex_epoch_cap: must be 0 or more, got -5",
                "poe_mining.minting.flux_fee_window_epochs: must be between 1 and 10000, got 0",
                "poe_mining.minting.aurum_gold_backing_ratio: must be greater than 0, got 0",
                "poe_mining.token_supply.aur_initial_supply: must be 0 or more, got -1",
            ],
            problems);
    }
}
