using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace PoeStreams.Worker;

/// <summary>
/// Streamiz keeps its logger factory in a process-wide static, so a factory owned (and disposed) by one
/// host would break every later stream in the process — a restarted worker, the next test. Streamiz gets
/// this one instance instead, which forwards to the logging of the host that started last.
/// </summary>
internal sealed class StreamizLoggerFactory : ILoggerFactory
{
    private volatile ILoggerFactory target = NullLoggerFactory.Instance;

    private StreamizLoggerFactory()
    {
    }

    public static StreamizLoggerFactory Instance { get; } = new();

    public void ForwardTo(ILoggerFactory factory) => target = factory;

    public ILogger CreateLogger(string categoryName)
    {
        try
        {
            return target.CreateLogger(categoryName);
        }
        catch (ObjectDisposedException)
        {
            return NullLogger.Instance;
        }
    }

    public void AddProvider(ILoggerProvider provider) => target.AddProvider(provider);

    // Shared by every stream in the process; the hosts own and dispose the real factories.
    public void Dispose()
    {
    }
}
