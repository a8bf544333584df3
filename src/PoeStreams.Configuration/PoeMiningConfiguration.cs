using System.Text.RegularExpressions;
using PoeStreams.Economics.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace PoeStreams.Configuration;

/// <summary>
/// Loads <see cref="PoeMiningOptions"/> from the YAML configuration format (a document whose root has
/// a <c>poe_mining:</c> mapping). Unknown keys are errors, so a misspelt key never silently keeps a
/// default; the options are validated and every problem is reported at once.
/// </summary>
public static partial class PoeMiningConfiguration
{
    private const string DefaultResourceName = "PoeStreams.Configuration.poe-mining.yaml";

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .WithEnforceNullability()
        .Build();

    /// <summary>The shipped default configuration (SPEC's defaults).</summary>
    public static PoeMiningOptions Default() => Parse(DefaultYaml(), "built-in poe-mining.yaml");

    /// <summary>The text of the shipped default file.</summary>
    public static string DefaultYaml()
    {
        using var stream = typeof(PoeMiningConfiguration).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException($"Resource {DefaultResourceName} is missing from the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Reads and validates the file at <paramref name="path"/>.</summary>
    public static PoeMiningOptions Load(string path)
    {
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidPoeOptionsException([$"{path}: cannot be read: {e.Message}"]);
        }

        return Parse(yaml, path);
    }

    /// <summary>Parses and validates YAML text; <paramref name="source"/> names it in error messages.</summary>
    public static PoeMiningOptions Parse(string yaml, string source)
    {
        ConfigurationFile? file;
        try
        {
            file = Deserializer.Deserialize<ConfigurationFile?>(yaml);
        }
        catch (YamlException e)
        {
            throw new InvalidPoeOptionsException([$"{source} (line {e.Start.Line}, column {e.Start.Column}): {Describe(e)}"]);
        }

        if (file?.PoeMining is not { } options)
        {
            throw new InvalidPoeOptionsException([$"{source}: has no '{PoeMiningOptions.SectionName}:' section"]);
        }

        return options.EnsureValid();
    }

    // YamlDotNet names CLR types; users know keys and values.
    private static string Describe(YamlException exception)
    {
        Exception innermost = exception;
        while (innermost.InnerException is not null)
        {
            innermost = innermost.InnerException;
        }

        var message = innermost is YamlException yaml ? yaml.Message.Split("): ", 2)[^1] : innermost.Message;
        var unknownKey = UnknownKeyPattern().Match(message);
        if (unknownKey.Success)
        {
            return $"unknown key '{unknownKey.Groups[1].Value}'";
        }

        return innermost is FormatException or InvalidCastException or OverflowException
            ? $"invalid value ({message.TrimEnd('.')})"
            : message;
    }

    [GeneratedRegex("^Property '(.+)' not found on type")]
    private static partial Regex UnknownKeyPattern();

    private sealed record ConfigurationFile
    {
        public PoeMiningOptions? PoeMining { get; init; }
    }
}
