using Spectre.Console;

namespace PoeStreams.Testing;

/// <summary>Runs console code and returns its exit code and everything it printed (Spectre and Console.Out alike).</summary>
public static class ConsoleCapture
{
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    public static async Task<(int ExitCode, string Output)> RunAsync(Func<Task<int>> run)
    {
        await OneAtATime.WaitAsync();
        var writer = new StringWriter();
        var previousConsole = AnsiConsole.Console;
        var previousOut = Console.Out;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });

        // A wide terminal: Spectre wraps at the console width, and tests count logical lines.
        AnsiConsole.Console.Profile.Width = 1_000;
        Console.SetOut(writer);
        try
        {
            return (await run(), writer.ToString().Replace("\r", string.Empty, StringComparison.Ordinal));
        }
        finally
        {
            AnsiConsole.Console = previousConsole;
            Console.SetOut(previousOut);
            OneAtATime.Release();
        }
    }
}
