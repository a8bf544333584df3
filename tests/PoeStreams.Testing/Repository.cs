namespace PoeStreams.Testing;

/// <summary>The checkout the tests run from.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootDirectory = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "PoeStreams.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No PoeStreams.sln above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootDirectory.Value;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);
}

/// <summary>Loopback ports for tests.</summary>
public static class Ports
{
    /// <summary>A port nothing listens on right now.</summary>
    public static int Free()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The container images of the production-like stack, one definition for the Testcontainers fixtures and compose/.</summary>
public static class ContainerImages
{
    public const string Kafka = "confluentinc/cp-kafka:7.6.1";
}
