using Cluster.Agents.Discovery;
using Cluster.Agents.Invocation;
using Cluster.Common.Processes;
using Cluster.TestSupport;

namespace Cluster.Agents.Tests.Support;

/// <summary>Invokers over the repository's shipped agents, the system's, or a test's own directory.</summary>
public static class TestAgents
{
    public static string Shipped => Path.Combine(RepoPaths.Root, "agents");

    public static string SystemOcf => AgentSearchPaths.SystemOcfResourceDir;

    /// <summary>Our agents first, then the system's (the default order).</summary>
    public static AgentInvoker Ours(string? haRoot = null) => Invoker([Path.Combine(Shipped, "ocf", "resource.d"), SystemOcf], haRoot);

    /// <summary>Only Debian's resource-agents.</summary>
    public static AgentInvoker Real(string? haRoot = null) => Invoker([SystemOcf], haRoot);

    public static AgentInvoker Invoker(IReadOnlyList<string> ocfDirs, string? haRoot = null)
    {
        var paths = new AgentSearchPaths(ocfDirs, [Path.Combine(Shipped, "lsb")], [Path.Combine(Shipped, "fence")]);
        var env = AgentInvoker.BaseEnvironmentFrom(name => name == "HA_ROOT" ? haRoot : null);
        return new AgentInvoker(new AgentCatalog(paths), ProcessRunner.Default, env);
    }

    /// <summary>A fresh HA_ROOT for one test, which removes it (see also <see cref="TempDirs"/>).</summary>
    public static string TempRoot()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agents-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}
