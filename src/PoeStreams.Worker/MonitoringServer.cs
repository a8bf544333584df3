using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace PoeStreams.Worker;

/// <summary>
/// Serves <c>/metrics</c> (Prometheus text format) and <c>/health</c> on a loopback address by default.
/// Health is 200 while the stream is running with every state store restored, and 503 otherwise (starting,
/// rebalancing, restoring, stopped or failed), with the state in the body.
/// </summary>
public sealed class MonitoringServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly CollectorRegistry registry;
    private readonly Func<(bool Healthy, string State)> health;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private Task? serving;

    public MonitoringServer(string host, int port, CollectorRegistry registry, Func<(bool Healthy, string State)> health, ILogger logger)
    {
        this.registry = registry;
        this.health = health;
        this.logger = logger;
        listener.Prefixes.Add($"http://{host}:{port}/");
    }

    public void Start()
    {
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Close();
        if (serving is not null)
        {
            await serving.ConfigureAwait(false);
        }

        stopping.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            try
            {
                await RespondAsync(context).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or IOException)
            {
                logger.LogDebug(e, "Monitoring request failed");
            }
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        var response = context.Response;
        switch (context.Request.Url?.AbsolutePath)
        {
            case "/metrics":
                response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                await registry.CollectAndExportAsTextAsync(response.OutputStream, stopping.Token).ConfigureAwait(false);
                break;
            case "/health":
                var (healthy, state) = health();
                response.StatusCode = healthy ? 200 : 503;
                await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(state + "\n"), stopping.Token).ConfigureAwait(false);
                break;
            default:
                response.StatusCode = 404;
                break;
        }

        response.Close();
    }
}
