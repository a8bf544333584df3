using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

if (args is ["clickhouse-throughput", var url])
{
    return await PoeStreams.Benchmarks.ClickHouseThroughputHarness.RunAsync(url);
}

if (args is ["worker-throughput", var count])
{
    return await PoeStreams.Benchmarks.WorkerThroughputHarness.RunAsync(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
}

// In-process: no per-suite project rebuild, so `make bench` finishes in minutes on two cores.
var config = DefaultConfig.Instance
    .AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithWarmupCount(2)
        .WithIterationCount(5)
        .WithLaunchCount(1))
    .AddDiagnoser(MemoryDiagnoser.Default)
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
return 0;
