using System.Reflection;
using System.Runtime.InteropServices;

namespace PoeStreams.LocalKafka;

/// <summary>
/// P/Invoke of librdkafka's mock-cluster API (<c>rd_kafka_mock_*</c>). The library is resolved to the
/// same file Confluent.Kafka loads: NuGet's plain <c>librdkafka.so</c> needs libsasl2.so.3, which Debian
/// lacks, so Confluent.Kafka falls back to <c>centos8-librdkafka.so</c>; this resolver tries the files in
/// the same order.
/// </summary>
internal static partial class LibrdkafkaMock
{
    private const string Library = "librdkafka";

    private static readonly string[] Candidates = ["librdkafka.so", "centos8-librdkafka.so", "alpine-librdkafka.so"];

    static LibrdkafkaMock() => NativeLibrary.SetDllImportResolver(typeof(LibrdkafkaMock).Assembly, Resolve);

    public const int ProducerType = 0;

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_new")]
    public static partial nint ConfNew();

    [LibraryImport(Library, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(nint conf, string name, string value, byte[] errorBuffer, nuint errorBufferSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_new")]
    public static partial nint New(int type, nint conf, byte[] errorBuffer, nuint errorBufferSize);

    [LibraryImport(Library, EntryPoint = "rd_kafka_destroy")]
    public static partial void Destroy(nint handle);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial nint ClusterNew(nint handle, int brokerCount);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void ClusterDestroy(nint cluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial nint ClusterBootstraps(nint cluster);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TopicCreate(nint cluster, string topic, int partitions, int replicationFactor);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_set_controller_id")]
    public static partial int SetControllerId(nint cluster, int brokerId);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    public static partial int GroupInitialRebalanceDelayMs(nint cluster, int delayMs);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_host_port", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int BrokerSetHostPort(nint cluster, int brokerId, string host, int port);

    [LibraryImport(Library, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    public static partial int BrokerSetRtt(nint cluster, int brokerId, int rttMs);

    [LibraryImport(Library, EntryPoint = "rd_kafka_err2str")]
    public static partial nint ErrorToString(int error);

    public static string Describe(int error) => Marshal.PtrToStringUTF8(ErrorToString(error)) ?? $"error {error}";

    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != Library)
        {
            return 0;
        }

        var directory = Path.Combine(AppContext.BaseDirectory, "runtimes", RuntimeInformation.RuntimeIdentifier.StartsWith("linux-arm64", StringComparison.Ordinal) ? "linux-arm64" : "linux-x64", "native");
        foreach (var candidate in Candidates)
        {
            if (NativeLibrary.TryLoad(Path.Combine(directory, candidate), out var handle))
            {
                return handle;
            }
        }

        throw new DllNotFoundException($"No loadable librdkafka in {directory} (tried {string.Join(", ", Candidates)}).");
    }
}
