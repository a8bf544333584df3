namespace PoeStreams.Economics.Configuration;

/// <summary>
/// The <c>poe_mining:</c> section of the configuration file. Section and property names map to the
/// YAML keys in snake_case (<c>FeeStructure.TotalFeeRate</c> ↔ <c>fee_structure.total_fee_rate</c>).
/// Defaults are SPEC's; <see cref="Validate"/> lists every broken rule at once.
/// </summary>
public sealed record PoeMiningOptions
{
    public const string SectionName = "poe_mining";

    public bool Enabled { get; init; } = true;

    public FeeStructure FeeStructure { get; init; } = new();

    public PoeParameters PoeParameters { get; init; } = new();

    public OwnerSalaryPolicy OwnerSalary { get; init; } = new();

    public MiningRewardsParameters MiningRewards { get; init; } = new();

    public MintingParameters Minting { get; init; } = new();

    public TokenSupplyParameters TokenSupply { get; init; } = new();

    public EpochParameters Epochs { get; init; } = new();

    /// <summary>Every rule the options break, each naming its YAML key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        return
        [
            .. FeeStructure.Validate(),
            .. PoeParameters.Validate(),
            .. OwnerSalary.Validate(),
            .. MiningRewards.Validate(),
            .. Minting.Validate(),
            .. TokenSupply.Validate(),
            .. Epochs.Validate(),
        ];
    }

    /// <summary>Throws <see cref="InvalidPoeOptionsException"/> listing every problem, or returns this.</summary>
    public PoeMiningOptions EnsureValid()
    {
        var problems = Validate();
        return problems.Count == 0 ? this : throw new InvalidPoeOptionsException(problems);
    }
}

/// <summary>Configuration that breaks one or more rules; the message lists all of them.</summary>
public sealed class InvalidPoeOptionsException(IReadOnlyList<string> problems)
    : Exception(FormatMessage(problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    private static string FormatMessage(IReadOnlyList<string> problems) =>
        $"Invalid PoE configuration ({problems.Count} problem{(problems.Count == 1 ? "" : "s")}):"
        + string.Concat(problems.Select(p => Environment.NewLine + "  - " + p));
}

/// <summary>Collects rule violations under one YAML path.</summary>
internal readonly struct OptionRules(List<string> problems, string path)
{
    /// <summary>Runs <paramref name="validate"/> over the section <c>poe_mining.{sectionKey}</c>.</summary>
    public static IReadOnlyList<string> Check(string sectionKey, Action<OptionRules> validate)
    {
        var problems = new List<string>();
        validate(new OptionRules(problems, $"{PoeMiningOptions.SectionName}.{sectionKey}"));
        return problems;
    }

    public void Add(string key, string problem) => problems.Add($"{path}.{key}: {problem}");

    public void AddForSection(string problem) => problems.Add($"{path}: {problem}");

    public void Fraction(string key, decimal value)
    {
        if (value is < 0m or > 1m)
        {
            Add(key, $"must be between 0 and 1, got {Display(value)}");
        }
    }

    public void NotNegative(string key, decimal value)
    {
        if (value < 0m)
        {
            Add(key, $"must be 0 or more, got {Display(value)}");
        }
    }

    public void Positive(string key, decimal value)
    {
        if (value <= 0m)
        {
            Add(key, $"must be greater than 0, got {Display(value)}");
        }
    }

    public void AtLeast(string key, decimal value, decimal minimum)
    {
        if (value < minimum)
        {
            Add(key, $"must be at least {Display(minimum)}, got {Display(value)}");
        }
    }

    private static string Display(decimal value) => Numerics.DecimalMath.ToDisplayString(value);
}
