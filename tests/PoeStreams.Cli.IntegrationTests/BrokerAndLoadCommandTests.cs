using System.Diagnostics;
using Confluent.Kafka;
using PoeStreams.Contracts;
using PoeStreams.LocalKafka;
using PoeStreams.Topology;

namespace PoeStreams.Cli.IntegrationTests;

/// <summary><c>poe dev-broker</c> as its own process, loaded by <c>poe generate</c>, stopped by Ctrl-C (SIGINT) or SIGTERM.</summary>
public sealed class BrokerAndLoadCommandTests
{
    [Theory]
    [InlineData("minting --mint --token NEX --amount 5")]
    [InlineData("start-mining --miner-id m1 --specialization compute")]
    public async Task Against_an_unreachable_broker_a_command_prints_one_line_in_all_and_exits_1(string arguments)
    {
        await using var registry = LocalSchemaRegistry.WithCatalog(port: 0);

        var (exitCode, output, errors) = await CliRunner.RunProcessAsync([.. arguments.Split(' '), "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", registry.Url]);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("poe: the broker at 127.0.0.1:1 ", Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal(string.Empty, errors); // librdkafka's own log lines would come here, hundreds a second
    }

    [Fact]
    public async Task Against_an_unreachable_schema_registry_a_publishing_command_names_it_in_one_line_and_exits_1()
    {
        var unreachable = $"http://127.0.0.1:{Ports.Free()}";

        var (exitCode, output, errors) = await CliRunner.RunProcessAsync(["minting", "--mint", "--token", "NEX", "--amount", "5", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", unreachable]);

        Assert.Equal(1, exitCode);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("poe: ", line, StringComparison.Ordinal);
        Assert.Contains(unreachable, line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, errors);
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task Dev_broker_serves_every_topic_generate_loads_it_and_a_signal_stops_it(string signal)
    {
        var port = Ports.Free();
        var registryPort = Ports.Free();
        using var broker = CliRunner.StartProcess("dev-broker", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--registry-port", registryPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--partitions", "2");
        var catalog = TopicCatalog.For(2, new PoeTopologyOptions().ApplicationId);
        string?[] banner = [await broker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)), await broker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30))];
        string[] expected =
        [
            $"Local broker listening on 127.0.0.1:{port} with {catalog.Count} topics. Ctrl-C stops it.",
            $"Schema registry on http://127.0.0.1:{registryPort} (Confluent's REST API) with {TopicCatalog.Subjects().Count()} subjects.",
        ];
        if (!banner.SequenceEqual(expected))
        {
            broker.Kill();
            Assert.Fail($"dev-broker printed '{string.Join(" / ", banner)}'; its stderr: {await broker.StandardError.ReadToEndAsync()}");
        }

        var registry = $"http://127.0.0.1:{registryPort}";
        using (var http = new HttpClient())
        {
            var subjects = System.Text.Json.JsonSerializer.Deserialize<string[]>(await http.GetStringAsync($"{registry}/subjects"));
            Assert.Equal(TopicCatalog.Subjects().Select(s => s.Subject).Order(StringComparer.Ordinal), subjects);
        }

        var bootstrap = $"127.0.0.1:{port}";
        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count);
            Assert.All(TopicCatalog.For(2, new PoeTopologyOptions().ApplicationId), t => Assert.Equal(t.Partitions, topics[t.Name]));
        }

        var generated = await CliRunner.RunAsync("generate", "--bootstrap-servers", bootstrap, "--schema-registry-url", registry, "--miners", "3", "--rate", "200", "--duration", "1", "--seed", "11");
        Assert.Equal(0, generated.ExitCode);
        Assert.Equal($"Published 203 records to {bootstrap}; the broker acknowledged every one.", generated.Output.Trim());
        Assert.Equal(3, TopicKeys.Read(bootstrap, PoeTopics.Miners, 3).Distinct().Count());

        using (var interrupt = Process.Start("kill", [$"-{signal}", broker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await interrupt.WaitForExitAsync();
        }

        using var stopped = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await broker.WaitForExitAsync(stopped.Token);
        Assert.Equal(0, broker.ExitCode);
    }
}
