using Confluent.SchemaRegistry;
using PoeStreams.Contracts;

namespace PoeStreams.Worker;

public static class SchemaRegistries
{
    /// <summary>Confluent's client when a URL is configured, otherwise the in-process registry.</summary>
    public static ISchemaRegistryClient For(WorkerOptions options)
    {
        if (options.SchemaRegistryUrl is not { } url)
        {
            return InProcessSchemaRegistry.WithContracts();
        }

        var config = new SchemaRegistryConfig { Url = url };
        if (options.SchemaRegistryBasicAuth is { } credentials)
        {
            config.BasicAuthCredentialsSource = AuthCredentialsSource.UserInfo;
            config.BasicAuthUserInfo = credentials;
        }

        return new CachedSchemaRegistryClient(config);
    }
}
