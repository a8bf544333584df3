using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PoeStreams.Economics.Configuration;
using PoeStreams.Topology.Serialization;

namespace PoeStreams.Topology.Governance;

/// <summary>A governance parameter update: YAML paths under <c>poe_mining</c> to new values, effective from an epoch.</summary>
public sealed record ParameterPatch(DateTimeOffset EffectiveFrom, DateTimeOffset IssuedAt, string EventId, IReadOnlyDictionary<string, string> Values);

/// <summary>
/// The economics in force at any epoch: the configured options plus every accepted patch whose
/// effective time has come, applied in (effective, issued, event id) order. The result depends only on
/// the set of patches, not on the order they arrived in, so every partition and every replay agrees.
/// </summary>
public sealed record ParameterTimeline(PoeMiningOptions Baseline, IReadOnlyList<ParameterPatch> Patches)
{
    // Changing the window or the genesis supplies mid-stream would rewrite history.
    private static readonly string[] FixedSections = ["epochs", "token_supply"];

    public static ParameterTimeline Starting(PoeMiningOptions baseline) => new(baseline, []);

    /// <summary>The options in force for the epoch starting at <paramref name="epochStart"/>.</summary>
    public PoeMiningOptions At(DateTimeOffset epochStart)
    {
        var options = Baseline;
        foreach (var patch in Patches)
        {
            if (patch.EffectiveFrom > epochStart)
            {
                break;
            }

            options = Apply(options, patch.Values);
        }

        return options;
    }

    /// <summary>Adds <paramref name="patch"/> if it yields valid options where it takes effect; otherwise says why not.</summary>
    public ParameterTimeline With(ParameterPatch patch, out string? rejection)
    {
        rejection = Check(At(patch.EffectiveFrom), patch.Values);
        if (rejection is not null)
        {
            return this;
        }

        if (Patches.Any(p => p.EventId == patch.EventId))
        {
            return this;
        }

        var patches = Patches.Append(patch)
            .OrderBy(p => p.EffectiveFrom)
            .ThenBy(p => p.IssuedAt)
            .ThenBy(p => p.EventId, StringComparer.Ordinal)
            .ToList();
        return this with { Patches = patches };
    }

    /// <summary>Why <paramref name="values"/> cannot be applied to <paramref name="options"/>, or null when they can.</summary>
    public static string? Check(PoeMiningOptions options, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return "no parameters given";
        }

        try
        {
            var problems = Apply(options, values).Validate();
            return problems.Count == 0 ? null : string.Join("; ", problems);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or JsonException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    /// <summary>The options with <paramref name="values"/> applied (keys like <c>fee_structure.treasury_rate</c>).</summary>
    public static PoeMiningOptions Apply(PoeMiningOptions options, IReadOnlyDictionary<string, string> values)
    {
        var root = JsonSerializer.SerializeToNode(options, Json.Options)!.AsObject();
        foreach (var (path, text) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var parts = path.Split('.');
            if (parts.Length != 2 || root[parts[0]] is not JsonObject section || !section.ContainsKey(parts[1]) || section[parts[1]] is not JsonValue current)
            {
                throw new ArgumentException($"unknown parameter '{path}'");
            }

            if (FixedSections.Contains(parts[0]))
            {
                throw new ArgumentException($"parameter '{path}' is fixed at start-up and cannot be changed by governance");
            }

            section[parts[1]] = current.GetValueKind() switch
            {
                JsonValueKind.True or JsonValueKind.False => JsonValue.Create(ParseBool(path, text)),
                JsonValueKind.Number => JsonValue.Create(ParseNumber(path, text)),
                _ => throw new ArgumentException($"parameter '{path}' cannot be changed by governance"),
            };
        }

        return root.Deserialize<PoeMiningOptions>(Json.Options)
            ?? throw new InvalidOperationException("Options did not survive a round trip.");
    }

    private static bool ParseBool(string path, string text) =>
        bool.TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not true or false for '{path}'");

    private static decimal ParseNumber(string path, string text) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a number for '{path}'");
}
