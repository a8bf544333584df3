namespace PoeStreams.Cli.IntegrationTests;

/// <summary>What <c>make install</c> does, into a folder of the test's own: the CLI packed as a .NET tool runs as <c>poe</c> from anywhere.</summary>
public sealed class ToolInstallTests : IDisposable
{
    private readonly string workspace = Path.Combine(Path.GetTempPath(), $"poe-tool-{Guid.NewGuid():N}");

    [Fact]
    public async Task The_cli_packed_as_a_tool_runs_as_poe_from_another_folder()
    {
        var feed = Path.Combine(workspace, "feed");
        var tools = Path.Combine(workspace, "tools");
        var elsewhere = Directory.CreateDirectory(Path.Combine(workspace, "elsewhere")).FullName;

        await RunAsync("dotnet", Repository.Root, "pack", Repository.Path("src", "PoeStreams.Cli"), "-c", "Release", "--no-build", "-o", feed);
        await RunAsync("dotnet", Repository.Root, "tool", "install", "--tool-path", tools, "--add-source", feed, "--ignore-failed-sources", "PoeStreams.Cli");
        var help = await RunAsync(Path.Combine(tools, "poe"), elsewhere, "--help");
        var badArgument = await RunAsync(Path.Combine(tools, "poe"), elsewhere, expectedExitCode: 1, "index", "--history", "--limit", "0");

        Assert.Contains("poe [OPTIONS] <COMMAND>", help, StringComparison.Ordinal);
        Assert.Contains("submit-job", help, StringComparison.Ordinal);
        Assert.Equal("poe: --limit must be between 1 and 10000, got 0", badArgument.Trim());
    }

    public void Dispose()
    {
        if (Directory.Exists(workspace))
        {
            Directory.Delete(workspace, recursive: true);
        }
    }

    private static Task<string> RunAsync(string program, string directory, params string[] args) => RunAsync(program, directory, expectedExitCode: 0, args);

    private static async Task<string> RunAsync(string program, string directory, int expectedExitCode, params string[] args)
    {
        var (exitCode, output, errors) = await Processes.RunAsync(program, directory, args);
        Assert.True(exitCode == expectedExitCode, $"{program} {string.Join(' ', args)} exited {exitCode}: {output} {errors}");
        return output;
    }
}
