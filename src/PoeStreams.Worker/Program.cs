using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using PoeStreams.Worker;

// Settings: POE_* environment variables, or --KEY value arguments (e.g. --BOOTSTRAP_SERVERS host:9092).
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables("POE_")
    .AddCommandLine(args)
    .Build();

try
{
    using var host = WorkerHost.Build(configuration);
    await host.RunAsync();
    return 0;
}
catch (InvalidWorkerOptionsException e)
{
    Console.Error.WriteLine($"poe-worker: {e.Message}");
    return 2;
}
catch (ClusterNotReadyException e)
{
    Console.Error.WriteLine($"poe-worker: {e.Message}");
    return 3;
}
