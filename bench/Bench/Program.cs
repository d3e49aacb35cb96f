using Cluster.Bench;

return await BenchMain.RunAsync(args);
