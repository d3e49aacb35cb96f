namespace Cluster.Bench;
internal static class SchedulerBenchmark { public static Task<int> RunAsync(Options o) => Task.FromResult(0); }
