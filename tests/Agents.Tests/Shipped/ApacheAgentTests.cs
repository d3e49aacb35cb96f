using Cluster.Agents.Tests.Support;
using Cluster.TestSupport;

namespace Cluster.Agents.Tests.Shipped;

/// <summary>Our apache agent runs Debian's apache2 with its own config and pid file inside a test namespace.</summary>
public sealed class ApacheAgentTests : IDisposable
{
    private readonly TempDirs _dirs = new();

    public void Dispose() => _dirs.Dispose();

    [Fact]
    public async Task StartsARealApacheServingAPageAndStopsIt()
    {
        await using var ns = await Netns.CreateAsync();
        var dir = _dirs.New();
        try
        {
            var www = Directory.CreateDirectory(Path.Combine(dir, "www")).FullName;
            await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "<html><body>served by the cluster</body></html>\n");
            var config = Path.Combine(dir, "httpd.conf");
            var ip = $"{ns.Prefix}.1";
            await File.WriteAllTextAsync(config, $"""
                ServerRoot /etc/apache2
                ServerName node1
                User www-data
                Group www-data
                Listen {ip}:8080
                Listen 127.0.0.1:8080
                LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
                LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
                LoadModule authz_host_module /usr/lib/apache2/modules/mod_authz_host.so
                LoadModule status_module /usr/lib/apache2/modules/mod_status.so
                LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
                ErrorLog {dir}/error.log
                Mutex file:{dir}
                DocumentRoot {www}
                <Directory {www}>
                  Require all granted
                </Directory>
                <Location /server-status>
                  SetHandler server-status
                  Require local
                </Location>

                """);
            var env = new Dictionary<string, string> { ["HA_ROOT"] = dir };
            var crmResource = RepoPaths.Tool("crm_resource");
            Task<Common.Processes.ProcessResult> Force(string what) => ns.ExecAsync(
                [crmResource, $"--force-{what}", "--class", "ocf", "--provider", "heartbeat", "--agent", "apache",
                 "-r", "WebServer", "--timeout", "40s", "--option", $"configfile={config}", "--option", "envfiles="], env);

            Assert.Equal(7, (await Force("check")).ExitCode);
            var start = await Force("start");
            Assert.True(start.ExitCode == 0, start.StandardOutput + File.ReadAllText(Path.Combine(dir, "error.log")));
            var page = await ns.ExecAsync(["curl", "-s", "-m", "10", $"http://{ip}:8080/"]);
            Assert.Equal("<html><body>served by the cluster</body></html>\n", page.StandardOutput);
            Assert.True(File.Exists(Path.Combine(dir, "run", "resource-agents", "apache-WebServer.pid")));
            Assert.Equal(0, (await Force("check")).ExitCode);
            Assert.Equal(0, (await Force("start")).ExitCode); // idempotent
            Assert.Equal(0, (await Force("stop")).ExitCode);
            var after = await ns.ExecAsync(["curl", "-s", "-m", "10", $"http://{ip}:8080/"]);
            Assert.NotEqual(0, after.ExitCode);
            Assert.Equal(7, (await Force("check")).ExitCode);
            Assert.Equal(0, (await Force("stop")).ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task StartCreatesTheRunAndLockDirectoriesTheEnvFileNames()
    {
        // Debian's apache2.conf reads DefaultRuntimeDir and the Mutex directory from envvars; only
        // apache2ctl creates them, so after a reboot (a fresh /run) httpd would refuse to start.
        await using var ns = await Netns.CreateAsync();
        var dir = _dirs.New();
        try
        {
            var run = Path.Combine(dir, "fresh-run", "apache2");
            var locks = Path.Combine(dir, "fresh-lock", "apache2");
            await File.WriteAllTextAsync(Path.Combine(dir, "envvars"), $"export APACHE_RUN_DIR={run}\nexport APACHE_LOCK_DIR={locks}\n");
            var config = Path.Combine(dir, "httpd.conf");
            await File.WriteAllTextAsync(config, $$"""
                ServerRoot /etc/apache2
                ServerName node1
                DefaultRuntimeDir ${APACHE_RUN_DIR}
                Mutex file:${APACHE_LOCK_DIR} default
                User www-data
                Group www-data
                Listen 127.0.0.1:8080
                LoadModule mpm_event_module /usr/lib/apache2/modules/mod_mpm_event.so
                LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
                LoadModule authz_host_module /usr/lib/apache2/modules/mod_authz_host.so
                LoadModule status_module /usr/lib/apache2/modules/mod_status.so
                ErrorLog {{dir}}/error.log
                <Location /server-status>
                  SetHandler server-status
                  Require local
                </Location>

                """);
            var env = new Dictionary<string, string> { ["HA_ROOT"] = dir };
            var crmResource = RepoPaths.Tool("crm_resource");
            Task<Common.Processes.ProcessResult> Force(string what) => ns.ExecAsync(
                [crmResource, $"--force-{what}", "--class", "ocf", "--provider", "heartbeat", "--agent", "apache",
                 "-r", "WebServer", "--timeout", "40s", "--option", $"configfile={config}", "--option", $"envfiles={dir}/envvars"], env);

            var start = await Force("start");
            Assert.True(start.ExitCode == 0, start.StandardOutput + start.StandardError);
            Assert.True(Directory.Exists(run));
            Assert.True(Directory.Exists(locks));
            Assert.Equal(0, (await Force("stop")).ExitCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task MissingConfigurationFileIsNotInstalledAndAProbeSaysStopped()
    {
        var invoker = TestAgents.Ours(_dirs.New());
        var agent = AgentId.Ocf("heartbeat", "apache");
        var parameters = new Dictionary<string, string> { ["configfile"] = "/nonexistent/httpd.conf" };

        var start = await invoker.InvokeAsync(new Cluster.Agents.Invocation.AgentRequest(agent, "start", "web") { Parameters = parameters });
        var probe = await invoker.InvokeAsync(new Cluster.Agents.Invocation.AgentRequest(agent, "monitor", "web") { Parameters = parameters });

        Assert.Equal(5, start.Rc);
        Assert.Equal("Configuration file /nonexistent/httpd.conf not found!", start.ExitReason);
        Assert.Equal(7, probe.Rc);
    }
}
