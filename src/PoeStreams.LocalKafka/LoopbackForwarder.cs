using System.Net;
using System.Net.Sockets;

namespace PoeStreams.LocalKafka;

/// <summary>
/// Accepts connections on a fixed loopback port and pipes each to a target port. The mock cluster
/// always listens on a random port; this gives it the stable address clients are configured with.
/// </summary>
internal sealed class LoopbackForwarder : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly int targetPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task acceptLoop;

    private LoopbackForwarder(TcpListener listener, int targetPort)
    {
        this.listener = listener;
        this.targetPort = targetPort;
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Starts listening on <paramref name="address"/>:<paramref name="port"/> (0 picks a free port).</summary>
    /// <exception cref="PortInUseException">The port is taken.</exception>
    public static LoopbackForwarder Start(IPAddress address, int port, int targetPort)
    {
        var listener = new TcpListener(address, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
        try
        {
            listener.Start(backlog: 128);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new PortInUseException("the local broker", address, port, e);
        }

        return new LoopbackForwarder(listener, targetPort);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        try
        {
            await acceptLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = Task.Run(() => PipeAsync(client));
        }
    }

    private async Task PipeAsync(Socket client)
    {
        using var clientSocket = client;
        using var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        clientSocket.NoDelay = true;
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, targetPort, stopping.Token).ConfigureAwait(false);
            await using var fromClient = new NetworkStream(clientSocket, ownsSocket: false);
            await using var toBroker = new NetworkStream(upstream, ownsSocket: false);
            var outbound = fromClient.CopyToAsync(toBroker, stopping.Token);
            var inbound = toBroker.CopyToAsync(fromClient, stopping.Token);
            await Task.WhenAny(outbound, inbound).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A closed connection on either side ends the pipe; the client reconnects if it needs to.
        }
    }
}

/// <summary>A local server's port is already taken.</summary>
/// <param name="server">What could not listen, as the message names it (the local broker, the local schema registry).</param>
public sealed class PortInUseException(string server, IPAddress address, int port, Exception inner)
    : Exception($"{address}:{port} is already in use, so {server} cannot listen there: stop whatever listens there or choose another port.", inner)
{
    public int Port { get; } = port;
}
