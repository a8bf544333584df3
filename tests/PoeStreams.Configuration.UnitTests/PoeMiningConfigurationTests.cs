using PoeStreams.Economics.Configuration;

namespace PoeStreams.Configuration.UnitTests;

public class PoeMiningConfigurationTests
{
    [Fact]
    public void The_shipped_default_file_holds_the_specification_defaults()
    {
        Assert.Equal(new PoeMiningOptions(), PoeMiningConfiguration.Default());
    }

    [Fact]
    public void The_shipped_file_is_also_next_to_the_binaries()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "poe-mining.yaml");

        Assert.Equal(PoeMiningConfiguration.DefaultYaml(), File.ReadAllText(path));
        Assert.Equal(new PoeMiningOptions(), PoeMiningConfiguration.Load(path));
    }

    [Fact]
    public void A_partial_file_keeps_defaults_for_missing_keys()
    {
        const string yaml = """
            poe_mining:
              fee_structure:
                total_fee_rate: 0.02
                miner_lock_rate: 0.004
                miner_spendable_rate: 0.006
                owner_salary_rate: 0.004
                treasury_rate: 0.006
              owner_salary:
                monthly_cap_usd: 60000
              epochs:
                length_seconds: 60
                job_id_horizon_days: 90
            """;

        var options = PoeMiningConfiguration.Parse(yaml, "test.yaml");

        Assert.Equal(0.02m, options.FeeStructure.TotalFeeRate);
        Assert.Equal(60_000m, options.OwnerSalary.MonthlyCapUsd);
        Assert.Equal(0.3m, options.OwnerSalary.VestingPercentage);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Epochs.Length);
        Assert.Equal(TimeSpan.FromDays(90), options.Epochs.JobIdHorizon);
        Assert.Equal(new PoeParameters(), options.PoeParameters);
    }

    [Fact]
    public void Every_rule_a_file_breaks_is_reported_at_once()
    {
        const string yaml = """
            poe_mining:
              fee_structure:
                treasury_rate: 0.005
              poe_parameters:
                quality_weight: 0.3
              owner_salary:
                monthly_cap_usd: -10
            """;

        var error = Assert.Throws<InvalidPoeOptionsException>(() => PoeMiningConfiguration.Parse(yaml, "bad.yaml"));

        Assert.Equal(3, error.Problems.Count);
        Assert.Contains(error.Problems, p => p.StartsWith("poe_mining.fee_structure:", StringComparison.Ordinal) && p.Contains("= 0.012"));
        Assert.Contains(error.Problems, p => p.StartsWith("poe_mining.poe_parameters:", StringComparison.Ordinal) && p.Contains("= 1.1"));
        Assert.Contains("poe_mining.owner_salary.monthly_cap_usd: must be 0 or more, got -10", error.Problems);
    }

    [Fact]
    public void A_misspelt_key_is_an_error_naming_it_and_its_line()
    {
        const string yaml = """
            poe_mining:
              fee_structure:
                total_fee_rat: 0.01
            """;

        var error = Assert.Throws<InvalidPoeOptionsException>(() => PoeMiningConfiguration.Parse(yaml, "typo.yaml"));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("typo.yaml (line 3, column 5): unknown key 'total_fee_rat'", problem);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_an_error_naming_its_line()
    {
        const string yaml = """
            poe_mining:
              owner_salary:
                vesting_period_months: twelve
            """;

        var problem = Assert.Single(Assert.Throws<InvalidPoeOptionsException>(() => PoeMiningConfiguration.Parse(yaml, "type.yaml")).Problems);

        Assert.Equal("type.yaml (line 3, column 28): invalid value (The input string 'twelve' was not in a correct format)", problem);
    }

    [Fact]
    public void An_empty_file_is_rejected()
    {
        var problem = Assert.Single(Assert.Throws<InvalidPoeOptionsException>(() => PoeMiningConfiguration.Parse("", "empty.yaml")).Problems);

        Assert.Equal("empty.yaml: has no 'poe_mining:' section", problem);
    }

    [Fact]
    public void A_file_with_another_root_section_is_rejected()
    {
        var problem = Assert.Single(Assert.Throws<InvalidPoeOptionsException>(() => PoeMiningConfiguration.Parse("mining:\n  key: 1\n", "other.yaml")).Problems);

        Assert.Equal("other.yaml (line 1, column 1): unknown key 'mining'", problem);
    }

    [Fact]
    public void A_missing_file_is_a_clear_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"poe-missing-{Guid.NewGuid():N}.yaml");

        var problem = Assert.Single(Assert.Throws<InvalidPoeOptionsException>(() => PoeMiningConfiguration.Load(path)).Problems);

        Assert.StartsWith($"{path}: cannot be read:", problem);
    }
}
