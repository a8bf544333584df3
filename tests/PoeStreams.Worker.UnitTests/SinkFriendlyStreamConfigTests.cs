using Streamiz.Kafka.Net;

namespace PoeStreams.Worker.UnitTests;

public class SinkFriendlyStreamConfigTests
{
    [Fact]
    public void The_admin_configuration_of_the_sinks_partition_lookups_is_built_once()
    {
        IStreamConfig config = new SinkFriendlyStreamConfig { ApplicationId = "poe", BootstrapServers = "127.0.0.1:9092" };

        Assert.Same(config.ToAdminConfig(string.Empty), config.ToAdminConfig(string.Empty));
    }

    [Fact]
    public void An_admin_client_that_names_itself_gets_a_configuration_of_its_own()
    {
        IStreamConfig config = new SinkFriendlyStreamConfig { ApplicationId = "poe", BootstrapServers = "127.0.0.1:9092" };
        var lookups = config.ToAdminConfig(string.Empty);

        var named = config.ToAdminConfig("poe-admin");

        Assert.NotSame(lookups, named);
        Assert.Equal("poe-admin", named.ClientId);
        Assert.Equal("127.0.0.1:9092", named.BootstrapServers);
    }
}
