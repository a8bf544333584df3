using System.Net;
using System.Runtime.InteropServices;

namespace PoeStreams.LocalKafka;

/// <summary>A topic to create on the local broker.</summary>
public sealed record LocalTopic(string Name, int Partitions);

/// <summary>
/// An in-memory Kafka broker for development and tests: librdkafka's mock cluster (the real Kafka wire
/// protocol) reachable at a fixed loopback address. It keeps nothing on disk, has no transactions that
/// commit offsets and no admin topic API: topics are created here, up front. Its retention is fixed in
/// librdkafka (see <see cref="LimitsDescription"/>). Production uses a real Kafka cluster.
/// </summary>
public sealed class LocalKafkaCluster : IAsyncDisposable
{
    /// <summary>
    /// The most bytes of record batches librdkafka's mock cluster keeps per partition (fixed in
    /// rdkafka_mock.c; neither its configuration nor its API changes it).
    /// </summary>
    public const int MaxBytesPerPartition = 5 * 1024 * 1024;

    /// <summary>The most record batches (produce requests' message sets, not records) it keeps per partition, likewise fixed.</summary>
    public const int MaxBatchesPerPartition = 100_000;

    /// <summary>The retention limits in words, for start-up lines and warnings.</summary>
    public const string LimitsDescription = "5 MiB or 100,000 record batches per partition, whichever comes first; older records are deleted";

    private const int BrokerId = 1;
    private readonly nint handle;
    private readonly nint cluster;
    private readonly LoopbackForwarder forwarder;
    private RetentionMonitor? monitor;
    private bool disposed;

    private LocalKafkaCluster(nint handle, nint cluster, LoopbackForwarder forwarder, string bootstrapServers)
    {
        this.handle = handle;
        this.cluster = cluster;
        this.forwarder = forwarder;
        BootstrapServers = bootstrapServers;
    }

    /// <summary>The address clients use, e.g. <c>127.0.0.1:9092</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>Starts one broker listening on <paramref name="host"/>:<paramref name="port"/> (0: any free port) and creates <paramref name="topics"/>.</summary>
    /// <param name="warn">Told when a partition nears the retention limit or has lost records; null watches nothing.</param>
    /// <param name="clock">Paces that watch; the system clock when null.</param>
    /// <param name="roundTrip">How long the broker takes to answer each request, as a network between a client and a real broker would; none by default.</param>
    /// <exception cref="PortInUseException">The port is taken.</exception>
    public static LocalKafkaCluster Start(
        IEnumerable<LocalTopic> topics, int port = 9092, string host = "127.0.0.1", Action<string>? warn = null, TimeProvider? clock = null, TimeSpan roundTrip = default)
    {
        var created = topics.ToList();
        var address = IPAddress.Parse(host);
        var error = new byte[512];
        var conf = LibrdkafkaMock.ConfNew();
        Check(LibrdkafkaMock.ConfSet(conf, "client.id", "poe-local-broker", error, (nuint)error.Length), "client.id");

        // The handle only owns the mock cluster; it connects nowhere, so its "no bootstrap.servers" notice is noise.
        Check(LibrdkafkaMock.ConfSet(conf, "log_level", "3", error, (nuint)error.Length), "log_level");
        var handle = LibrdkafkaMock.New(LibrdkafkaMock.ProducerType, conf, error, (nuint)error.Length);
        if (handle == 0)
        {
            throw new InvalidOperationException($"librdkafka could not start: {System.Text.Encoding.UTF8.GetString(error).TrimEnd('\0')}");
        }

        var cluster = LibrdkafkaMock.ClusterNew(handle, 1);
        if (cluster == 0)
        {
            LibrdkafkaMock.Destroy(handle);
            throw new InvalidOperationException("librdkafka could not create a mock cluster.");
        }

        LoopbackForwarder forwarder;
        try
        {
            var mockPort = int.Parse(Marshal.PtrToStringUTF8(LibrdkafkaMock.ClusterBootstraps(cluster))!.Split(',')[0].Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture);
            forwarder = LoopbackForwarder.Start(address, port, mockPort);
        }
        catch
        {
            LibrdkafkaMock.ClusterDestroy(cluster);
            LibrdkafkaMock.Destroy(handle);
            throw;
        }

        var local = new LocalKafkaCluster(handle, cluster, forwarder, $"{host}:{forwarder.Port}");

        // Without a controller and with the default 3 s rebalance delay the first group join stalls.
        Check(LibrdkafkaMock.SetControllerId(cluster, BrokerId), "set controller");
        Check(LibrdkafkaMock.GroupInitialRebalanceDelayMs(cluster, 0), "rebalance delay");
        Check(LibrdkafkaMock.BrokerSetHostPort(cluster, BrokerId, host, forwarder.Port), "advertised address");
        if (roundTrip > TimeSpan.Zero)
        {
            Check(LibrdkafkaMock.BrokerSetRtt(cluster, BrokerId, (int)roundTrip.TotalMilliseconds), "round trip");
        }

        foreach (var topic in created)
        {
            local.CreateTopic(topic);
        }

        if (warn is not null)
        {
            local.monitor = new RetentionMonitor(local.BootstrapServers, created, warn, clock ?? TimeProvider.System);
        }

        return local;
    }

    public void CreateTopic(LocalTopic topic) =>
        Check(LibrdkafkaMock.TopicCreate(cluster, topic.Name, topic.Partitions, 1), $"create topic {topic.Name}");

    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (monitor is not null)
        {
            await monitor.DisposeAsync().ConfigureAwait(false);
        }

        await forwarder.DisposeAsync().ConfigureAwait(false);
        LibrdkafkaMock.ClusterDestroy(cluster);
        LibrdkafkaMock.Destroy(handle);
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
        {
            throw new InvalidOperationException($"Local broker: {what} failed: {LibrdkafkaMock.Describe(error)}");
        }
    }
}
