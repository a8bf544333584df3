using System.Net;
using System.Net.Sockets;
using System.Text;
using PoeStreams.Contracts;

namespace PoeStreams.LocalKafka;

/// <summary>
/// A schema registry for development and tests that speaks Confluent's REST API
/// (<see cref="SchemaRegistryApi"/>) over HTTP, so the worker, the CLI and clients in any language use
/// it exactly as they use Confluent Schema Registry in production. In memory, like the local broker:
/// start it with the subjects the topics need (<c>preload</c>) and every run gives them the same ids.
/// </summary>
public sealed class LocalSchemaRegistry : IAsyncDisposable
{
    private const string ContentType = "application/vnd.schemaregistry.v1+json";
    private readonly HttpListener listener;
    private readonly Task serving;

    private LocalSchemaRegistry(HttpListener listener, string url, SchemaRegistryApi api)
    {
        this.listener = listener;
        Url = url;
        Api = api;
        serving = Task.Run(ServeAsync);
    }

    /// <summary>The URL clients are given, e.g. <c>http://127.0.0.1:8081</c>.</summary>
    public string Url { get; }

    public SchemaRegistryApi Api { get; }

    /// <summary>
    /// Starts serving with every topic's value schema of the catalog registered in catalog order, so a
    /// fresh registry gives each schema the same id: what <c>poe dev-broker</c>, <c>poe demo</c>, the
    /// tests and the benchmarks serve.
    /// </summary>
    /// <exception cref="PortInUseException">The port is taken.</exception>
    public static LocalSchemaRegistry WithCatalog(int port = 8081, string host = "127.0.0.1") => Start(TopicCatalog.Subjects(), port, host);

    /// <summary>Starts serving on <paramref name="host"/>:<paramref name="port"/> (0: any free port), with <paramref name="preload"/> registered in order.</summary>
    /// <exception cref="PortInUseException">The port is taken.</exception>
    public static LocalSchemaRegistry Start(IEnumerable<(string Subject, string Schema)> preload, int port = 8081, string host = "127.0.0.1")
    {
        var api = new SchemaRegistryApi();
        foreach (var (subject, schema) in preload)
        {
            api.Register(subject, schema);
        }

        var address = IPAddress.Parse(host);
        var chosen = port == 0 ? FreePort(address) : port;
        var listener = new HttpListener();
        listener.Prefixes.Add($"http://{address}:{chosen}/");
        if (IPAddress.IsLoopback(address))
        {
            // HttpListener matches the Host header: without this, http://localhost:8081 would get 404s.
            listener.Prefixes.Add($"http://localhost:{chosen}/");
        }

        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            throw new PortInUseException("the local schema registry", address, chosen, e);
        }

        return new LocalSchemaRegistry(listener, $"http://{address}:{chosen}", api);
    }

    public async ValueTask DisposeAsync()
    {
        listener.Close();
        await serving.ConfigureAwait(false);
    }

    private static int FreePort(IPAddress address)
    {
        using var probe = new TcpListener(address, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (true)
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

            // Each request on its own task: a slow client holds up nobody else.
            _ = Task.Run(() => RespondAsync(context));
        }
    }

    private async Task RespondAsync(HttpListenerContext context)
    {
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync().ConfigureAwait(false);
            }

            var answer = Api.Handle(context.Request.HttpMethod, context.Request.RawUrl ?? "/", body);
            var bytes = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = ContentType;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away; it asks again if it still needs the answer.
        }
    }
}
