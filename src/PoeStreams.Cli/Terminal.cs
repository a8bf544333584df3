namespace PoeStreams.Cli;

/// <summary>The width tables are rendered for: the terminal's, or 80 when the output is not a terminal (Spectre's own detection).</summary>
internal static class Terminal
{
    /// <summary>A width no message reaches, so Spectre writes each on one line.</summary>
    public const int Unwrapped = 100_000;

    public static int Columns { get; set; } = 80;
}
