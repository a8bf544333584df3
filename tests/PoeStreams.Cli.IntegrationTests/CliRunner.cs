using Spectre.Console;

namespace PoeStreams.Cli.IntegrationTests;

/// <summary>Runs <c>poe</c> in-process and returns its exit code and everything it printed.</summary>
internal static class CliRunner
{
    private static readonly SemaphoreSlim Console = new(1, 1);

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        await Console.WaitAsync();
        var writer = new StringWriter();
        var previousConsole = AnsiConsole.Console;
        var previousOut = System.Console.Out;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        AnsiConsole.Console.Profile.Width = 1_000;
        System.Console.SetOut(writer);
        try
        {
            return (await PoeCli.RunAsync(args), writer.ToString());
        }
        finally
        {
            AnsiConsole.Console = previousConsole;
            System.Console.SetOut(previousOut);
            Console.Release();
        }
    }
}
