namespace Cluster.Bench;
internal static class DiffCommand { public static Task<int> RunAsync(Options o) => Task.FromResult(0); }
