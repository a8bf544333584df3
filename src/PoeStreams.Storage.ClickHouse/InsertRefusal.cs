using ClickHouse.Driver;
using ClickHouse.Driver.Copy;

namespace PoeStreams.Storage.ClickHouse;

/// <summary>
/// Whether a failed insert was refused for its data (so inserting it again can never succeed) or for
/// something that passes: the connection, the server's health, its configuration. Only the first is
/// split down to the offending rows; everything else is retried.
/// </summary>
public static class InsertRefusal
{
    // ClickHouse's error codes for values it cannot parse, convert or store (src/Common/ErrorCodes.cpp).
    private static readonly HashSet<int> DataErrorCodes =
    [
        6,   // CANNOT_PARSE_TEXT
        26,  // CANNOT_PARSE_QUOTED_STRING
        27,  // CANNOT_PARSE_INPUT_ASSERTION_FAILED
        32,  // ATTEMPT_TO_READ_AFTER_EOF
        33,  // CANNOT_READ_ALL_DATA
        38,  // CANNOT_PARSE_DATE
        41,  // CANNOT_PARSE_DATETIME
        53,  // TYPE_MISMATCH
        69,  // ARGUMENT_OUT_OF_BOUND
        70,  // CANNOT_CONVERT_TYPE
        72,  // CANNOT_PARSE_NUMBER
        117, // INCORRECT_DATA
        131, // TOO_LARGE_STRING_SIZE
        190, // SIZES_OF_ARRAYS_DONT_MATCH
        349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
        407, // DECIMAL_OVERFLOW
    ];

    /// <summary>True when <paramref name="error"/> says the rows themselves cannot be stored.</summary>
    public static bool IsForData(Exception error) => error switch
    {
        // The driver could not encode a value for its column (a date before 1970, a decimal too wide).
        ClickHouseBulkCopySerializationException => true,
        ClickHouseServerException server => DataErrorCodes.Contains(server.ErrorCode),

        // Parallel inserts fail together: for the data only if every part did.
        AggregateException aggregate => aggregate.Flatten().InnerExceptions is { Count: > 0 } parts && parts.All(IsForData),
        _ => false,
    };

    /// <summary>The first line of the reason, without the driver's wrapping, for a dead letter's detail.</summary>
    public static string Reason(Exception error)
    {
        var cause = error is ClickHouseBulkCopySerializationException { InnerException: { } inner } ? inner
            : error is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[0]
            : error;
        var message = cause.Message.Split('\n', 2)[0].Trim();
        return message.Length <= 500 ? message : message[..500] + "…";
    }
}
