using System.Reflection;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace PoeStreams.Cli;

/// <summary>
/// The one line <c>poe</c> prints for a failure: an argument that does not convert names its option
/// and the form it expects, and any over-long value is cut, so the line stays readable whatever was typed.
/// </summary>
public static partial class ErrorLine
{
    /// <summary>The most characters of one value a message repeats.</summary>
    public const int MaxValueLength = 64;

    public static string For(Exception exception, IReadOnlyList<string> args)
    {
        var message = exception.Message.ReplaceLineEndings(" ");
        if (ConversionFailure().Match(message) is { Success: true } failed && OptionGiven(args, failed.Groups["value"].Value) is { } option)
        {
            message = $"{option} must be {ExpectedForm(option)}, got '{failed.Groups["value"].Value}'";
        }

        return LongToken().Replace(message, token => $"{token.Value[..MaxValueLength]}… ({token.Value.Length} characters)");
    }

    // The option right before the value (--name value) or holding it (--name=value).
    private static string? OptionGiven(IReadOnlyList<string> args, string value)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == value && i > 0 && args[i - 1].StartsWith('-'))
            {
                return args[i - 1];
            }

            if (args[i].StartsWith('-') && args[i].EndsWith("=" + value, StringComparison.Ordinal))
            {
                return args[i][..args[i].IndexOf('=', StringComparison.Ordinal)];
            }
        }

        return null;
    }

    // What the option's property holds, from the settings classes' own declarations.
    private static string ExpectedForm(string option)
    {
        var type = typeof(ErrorLine).Assembly.GetTypes()
            .Where(t => typeof(CommandSettings).IsAssignableFrom(t))
            .SelectMany(t => t.GetProperties())
            .Where(p => p.GetCustomAttribute<CommandOptionAttribute>() is { } attribute
                && (attribute.LongNames.Any(n => "--" + n == option) || attribute.ShortNames.Any(n => "-" + n == option)))
            .Select(p => Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType)
            .FirstOrDefault();
        return type switch
        {
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(decimal) => "a decimal number such as 12.5 (at most 28 significant digits, no exponent)",
            _ when type == typeof(double) => "a number such as 12.5",
            _ when type == typeof(bool) => "given without a value",
            _ => "a valid value",
        };
    }

    [GeneratedRegex("^Failed to convert '(?<value>.*)' to [^ ]+\\.$", RegexOptions.Singleline)]
    private static partial Regex ConversionFailure();

    [GeneratedRegex("[^\\s']{65,}")]
    private static partial Regex LongToken();
}
