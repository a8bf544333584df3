using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace PoeStreams.Cli.IntegrationTests;

/// <summary>
/// compose/ is a production-like stack no Docker engine runs here, so what can be checked is checked:
/// the compose file is consistent, Prometheus accepts its configuration, the topic script is the
/// catalog's, and (in <see cref="OperatorCommandTests"/>) every metric the dashboard queries is one the
/// worker exports.
/// </summary>
public class ComposeStackTests
{
    private static readonly YamlMappingNode Compose = Load(Repository.Path("compose", "docker-compose.yml"));
    private static readonly YamlMappingNode Services = (YamlMappingNode)Compose["services"];

    [Fact]
    public void Every_service_it_depends_on_is_defined_and_every_port_is_published_on_loopback_only()
    {
        foreach (var (name, node) in Services.Children.Select(c => (((YamlScalarNode)c.Key).Value!, (YamlMappingNode)c.Value)))
        {
            Assert.True(node.Children.ContainsKey("image") || node.Children.ContainsKey("build"), $"{name} has neither image nor build");
            foreach (var dependency in Keys(node, "depends_on"))
            {
                Assert.True(Services.Children.ContainsKey(dependency), $"{name} depends on {dependency}, which is not a service");
            }

            foreach (var port in Items(node, "ports"))
            {
                Assert.StartsWith("127.0.0.1:", port, StringComparison.Ordinal);
            }

            foreach (var volume in Items(node, "volumes").Where(v => v.StartsWith("./", StringComparison.Ordinal)))
            {
                var path = Repository.Path("compose", volume.Split(':')[0][2..]);
                Assert.True(File.Exists(path) || Directory.Exists(path), $"{name} mounts {volume}, which is not in compose/");
            }
        }

        var build = (YamlMappingNode)((YamlMappingNode)Services["worker"])["build"];
        Assert.True(File.Exists(Path.Combine(Repository.Path("compose"), ((YamlScalarNode)build["context"]).Value!, ((YamlScalarNode)build["dockerfile"]).Value!)));
        Assert.Equal(ContainerImages.Kafka, ((YamlScalarNode)((YamlMappingNode)Services["kafka"])["image"]).Value);
        Assert.Equal(["clickhouse", "grafana", "kafka", "prometheus", "schema-registry", "topics", "worker"], Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Prometheus_accepts_its_configuration_and_scrapes_the_workers_metrics_port()
    {
        var config = Repository.Path("compose", "prometheus", "prometheus.yml");
        var (exitCode, output, errors) = await Processes.RunAsync("promtool", null, "check", "config", config);
        Assert.True(exitCode == 0, output + errors);

        var target = Regex.Match(File.ReadAllText(config), "targets: \\[\"(?<service>[a-z-]+):(?<port>\\d+)\"\\]");
        var worker = (YamlMappingNode)((YamlMappingNode)Services[target.Groups["service"].Value])["environment"];
        Assert.Equal(target.Groups["port"].Value, ((YamlScalarNode)worker["POE_METRICS_PORT"]).Value);
        Assert.Equal("0.0.0.0", ((YamlScalarNode)worker["POE_METRICS_HOST"]).Value); // inside its container; published on loopback
    }

    [Fact]
    public async Task The_topic_script_is_the_catalogs_for_the_workers_partitions()
    {
        var partitions = ((YamlScalarNode)((YamlMappingNode)((YamlMappingNode)Services["worker"])["environment"])["POE_PARTITIONS"]).Value!;

        var (exitCode, output) = await CliRunner.RunAsync("topics", "--script", "--partitions", partitions);

        Assert.Equal(0, exitCode);
        Assert.True(
            output == File.ReadAllText(Repository.Path("compose", "create-topics.sh")),
            $"compose/create-topics.sh is stale; regenerate it with: poe topics --script --partitions {partitions} > compose/create-topics.sh");
    }

    /// <summary>The metric names the dashboard's queries use.</summary>
    public static IReadOnlyList<string> DashboardMetrics() =>
        [.. Regex.Matches(File.ReadAllText(Repository.Path("compose", "grafana", "dashboards", "poestreams.json")), "poe_[a-z_]+").Select(m => m.Value).Distinct().Order(StringComparer.Ordinal)];

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    // depends_on is a list of names or a map from name to condition.
    private static IEnumerable<string> Keys(YamlMappingNode node, string key) =>
        !node.Children.TryGetValue(key, out var value) ? []
        : value is YamlMappingNode map ? map.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)
        : ((YamlSequenceNode)value).Children.Select(c => ((YamlScalarNode)c).Value!);

    private static IEnumerable<string> Items(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var value) ? ((YamlSequenceNode)value).Children.Select(c => ((YamlScalarNode)c).Value!) : [];
}
