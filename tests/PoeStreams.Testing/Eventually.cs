using System.Diagnostics;

namespace PoeStreams.Testing;

/// <summary>Waits for a condition that the system under test makes true asynchronously.</summary>
public static class Eventually
{
    /// <summary>
    /// Polls <paramref name="done"/> until it holds; HTTP and ClickHouse errors count as "not yet" (a
    /// table not created yet, a server restarting). Fails the test after <paramref name="timeout"/>.
    /// </summary>
    public static async Task HoldsAsync(Func<Task<bool>> done, TimeSpan timeout, string what)
    {
        var elapsed = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await done())
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or global::ClickHouse.Driver.ClickHouseServerException)
            {
            }

            if (elapsed.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            }

            await Task.Delay(250);
        }
    }
}
