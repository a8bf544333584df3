using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using PoeStreams.Configuration;
using PoeStreams.Economics.Fees;

namespace PoeStreams.Cli.IntegrationTests;

/// <summary>
/// What a team in another language does against <c>make run</c> (<c>poe demo</c>): Confluent's Python
/// client (Debian's python3-confluent-kafka, which <c>make test</c> installs), given only the registry's
/// URL and the <c>.avsc</c> files, registers the schemas, publishes a miner and a verified job, and reads
/// the job's fee split that the worker published when the epoch closed.
/// </summary>
public sealed class OutsideClientTests
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task A_python_client_given_only_the_registry_url_publishes_a_job_and_reads_back_its_fee_split()
    {
        var port = Ports.Free();
        var registryPort = Ports.Free();
        using var demo = CliRunner.StartProcess("demo", "--port", Text(port), "--registry-port", Text(registryPort), "--metrics-port", "0", "--duration", "180");
        try
        {
            await WaitForLineAsync(demo, "worker started");

            var (exitCode, output, errors) = await Processes.RunAsync(
                Python, null, Repository.Path("tests", "PoeStreams.Cli.IntegrationTests", "OutsideClient", "outside_client.py"),
                $"127.0.0.1:{port}", $"http://127.0.0.1:{registryPort}", Repository.Path("schemas"), "outside-miner", "outside-job-1", "120");

            Assert.True(exitCode == 0, $"the Python client failed: {errors}{output}");
            using var split = JsonDocument.Parse(output);
            var expected = FeeSplit.Of(1234.5m, 0m, PoeMiningConfiguration.Default().FeeStructure);
            Assert.Equal("outside-miner", split.RootElement.GetProperty("miner_id").GetString());
            Assert.Equal(
                [expected.Total, expected.MinerLocked, expected.MinerSpendable, expected.OwnerSalary, expected.Treasury],
                new[] { "total_fee", "miner_locked", "miner_spendable", "owner_salary", "treasury" }.Select(field => decimal.Parse(split.RootElement.GetProperty(field).GetString()!, CultureInfo.InvariantCulture)));
        }
        finally
        {
            demo.Kill(entireProcessTree: true);
        }
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);

    private static async Task WaitForLineAsync(Process process, string text)
    {
        var seen = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            seen.Add(line);
            if (line.Contains(text, StringComparison.Ordinal))
            {
                // Keep reading so a full pipe never blocks the demo.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                return;
            }
        }

        Assert.Fail($"poe demo ended before '{text}': {string.Join(" / ", seen)} {await process.StandardError.ReadToEndAsync()}");
    }
}
