namespace PoeStreams.Contracts;

/// <summary>How a dead letter is built from the record it rejects, wherever the rejection happens (the worker or the sink).</summary>
public partial class DeadLetter
{
    /// <summary>
    /// The most bytes of key and value an input record may have. A larger one is rejected as
    /// <see cref="DeadLetterReasons.TooLarge"/> before anything copies it: the internal hop and its dead
    /// letter must stay below the producers' message limit (1 MB by default), or the record would stop
    /// the stream thread on every restart.
    /// </summary>
    public const int MaxOriginalBytes = 256 * 1024;

    /// <summary>How much of a too-large original a dead letter keeps; its size and SHA-256 go into the detail.</summary>
    public const int KeptPrefixBytes = 4 * 1024;

    /// <summary>The dead letter of a record; the rejection time is the record's own timestamp, so replays match.</summary>
    public static DeadLetter Of(string topic, int partition, long offset, long timestamp, byte[]? key, byte[]? value, string reason, string detail)
    {
        if (SizeOf(key, value) > MaxOriginalBytes)
        {
            detail += $" (original key {Describe(key)}, value {Describe(value)}; the first {KeptPrefixBytes} bytes of each are kept)";
            (key, value) = (Prefix(key), Prefix(value));
        }

        return new DeadLetter
        {
            source_topic = topic,
            source_partition = partition,
            source_offset = offset,
            reason = reason,
            detail = detail,
            original_key = key,
            original_value = value,
            rejected_at = DateTimeOffset.FromUnixTimeMilliseconds(timestamp).UtcDateTime,
        };
    }

    /// <summary>The bytes of a record's key and value together.</summary>
    public static long SizeOf(byte[]? key, byte[]? value) => (long)(key?.Length ?? 0) + (value?.Length ?? 0);

    private static string Describe(byte[]? bytes) =>
        bytes is null ? "null" : $"{bytes.Length} bytes, SHA-256 {Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes))}";

    private static byte[]? Prefix(byte[]? bytes) => bytes is null || bytes.Length <= KeptPrefixBytes ? bytes : bytes[..KeptPrefixBytes];
}
