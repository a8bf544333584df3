namespace PoeStreams.Cli.Commands;

/// <summary>Waiting for the worker's effects to reach the history, which lags it by the sink's flush interval.</summary>
internal static class Polling
{
    /// <summary>
    /// Asks <paramref name="probe"/> every <paramref name="interval"/> until it answers (not null); null when
    /// <paramref name="timeout"/> passes or the command is cancelled first.
    /// </summary>
    public static async Task<T?> UntilAnsweredAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, TimeSpan interval, TimeProvider clock, CancellationToken cancellationToken)
        where T : class
    {
        var deadline = clock.GetUtcNow() + timeout;
        try
        {
            while (true)
            {
                if (await probe() is { } answer)
                {
                    return answer;
                }

                if (clock.GetUtcNow() >= deadline)
                {
                    return null;
                }

                await Task.Delay(interval, clock, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
