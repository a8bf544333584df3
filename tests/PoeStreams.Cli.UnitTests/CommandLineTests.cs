using Spectre.Console;

namespace PoeStreams.Cli.UnitTests;

[Collection("console")]
public class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "economy", "poe", "generate", "--rate", "5" }, new[] { "generate", "--rate", "5" })]
    [InlineData(new[] { "bpci", "economy", "poe", "dev-broker" }, new[] { "dev-broker" })]
    [InlineData(new[] { "generate" }, new[] { "generate" })]
    public void Bpci_style_prefixes_are_aliases(string[] args, string[] expected)
    {
        Assert.Equal(expected, PoeCli.StripAliasPrefix(args));
    }

    [Theory]
    [InlineData("--rate 0", "--rate must be between 1 and 1000000, got 0")]
    [InlineData("--miners -3", "--miners must be between 1 and 1000000, got -3")]
    [InlineData("--bad-share 1.5", "--bad-share must be between 0 and 1, got 1.5")]
    [InlineData("--start yesterday", "--start must be an ISO-8601 time, got 'yesterday'")]
    public async Task Bad_generate_arguments_exit_non_zero_with_one_line(string arguments, string message)
    {
        var (exitCode, output) = await RunAsync(["generate", .. arguments.Split(' ')]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("dev-broker --port 70000", "--port must be between 1 and 65535, got 70000")]
    [InlineData("dev-broker --host localhost", "--host must be an IP address, got 'localhost'")]
    [InlineData("demo --epoch-seconds 7", "--epoch-seconds must divide a day (86400), got 7")]
    public async Task Bad_broker_and_demo_arguments_exit_non_zero(string arguments, string message)
    {
        var (exitCode, output) = await RunAsync(arguments.Split(' '));

        Assert.NotEqual(0, exitCode);
        Assert.Contains(message, output);
    }

    [Fact]
    public async Task A_taken_port_is_reported_in_one_line()
    {
        using var squatter = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((System.Net.IPEndPoint)squatter.LocalEndpoint).Port;

        var (exitCode, output) = await RunAsync(["dev-broker", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

        Assert.Equal(3, exitCode);
        Assert.Contains($"poe: 127.0.0.1:{port} is already in use", output);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string[] args)
    {
        var writer = new StringWriter();
        var previous = AnsiConsole.Console;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        try
        {
            var exitCode = await PoeCli.RunAsync(args);
            return (exitCode, writer.ToString().Replace("\r", "", StringComparison.Ordinal));
        }
        finally
        {
            AnsiConsole.Console = previous;
        }
    }
}
