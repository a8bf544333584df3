using ClickHouse.Driver;
using ClickHouse.Driver.Copy;

namespace PoeStreams.Storage.ClickHouse.IntegrationTests;

/// <summary>Only a refusal for the data is split down to rows; everything else is retried.</summary>
public class InsertRefusalTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { new ClickHouseBulkCopySerializationException(3, [], new ArgumentOutOfRangeException("value")), true },
        { new ClickHouseServerException("Code: 53, e.displayText() = DB::Exception: Type mismatch", "INSERT", 53), true },
        { new ClickHouseServerException("Code: 407, DB::Exception: Decimal overflow", "INSERT", 407), true },
        { new ClickHouseServerException("Code: 241, DB::Exception: Memory limit exceeded", "INSERT", 241), false },
        { new ClickHouseServerException("Code: 60, DB::Exception: Table poe.miners doesn't exist", "INSERT", 60), false },
        { new HttpRequestException("Connection refused"), false },
        { new TaskCanceledException("timeout"), false },
        { new AggregateException(new ClickHouseServerException("Code: 53", "INSERT", 53), new HttpRequestException("reset")), false },
        { new AggregateException(new ClickHouseServerException("Code: 53", "INSERT", 53), new ClickHouseServerException("Code: 70", "INSERT", 70)), true },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_failure_is_for_the_data_only_when_inserting_the_rows_again_can_never_succeed(Exception failure, bool forData)
    {
        Assert.Equal(forData, InsertRefusal.IsForData(failure));
    }

    [Fact]
    public void The_reason_is_the_first_line_of_the_cause_without_the_drivers_wrapping()
    {
        var failure = new ClickHouseBulkCopySerializationException(0, [], new ArgumentOutOfRangeException("value", "Value is outside the supported range\nsecond line"));

        Assert.StartsWith("Value is outside the supported range", InsertRefusal.Reason(failure), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', InsertRefusal.Reason(failure));
    }
}
