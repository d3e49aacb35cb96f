namespace Cluster.Tools.Pcs;

/// <summary>
/// What pcs 0.11.5 prints for <c>pcs -h</c> (stdout) and after a bad global option or an
/// unknown command (stderr), observed from the real tool. It names every command group of the
/// real pcs, some of which this implementation does not have.
/// </summary>
internal static class PcsUsage
{
    public const string Main = "\n" + """
        Usage: pcs [-f file] [-h] [commands]...
        Control and configure pacemaker and corosync.

        Options:
            -h, --help         Display usage and exit.
            -f file            Perform actions on file instead of active CIB.
                               Commands supporting the option use the initial state of
                               the specified file as their input and then overwrite the
                               file with the state reflecting the requested
                               operation(s).
                               A few commands only use the specified file in read-only
                               mode since their effect is not a CIB modification.
            --debug            Print all network traffic and external commands run.
            --version          Print pcs version information. List pcs capabilities if
                               --full is specified.
            --request-timeout  Timeout for each outgoing request to another node in
                               seconds. Default is 60s.
            --force            Override checks and errors, the exact behavior depends on
                               the command. WARNING: Using the --force option is
                               strongly discouraged unless you know what you are doing.

        Commands:
            cluster     Configure cluster options and nodes.
            resource    Manage cluster resources.
            stonith     Manage fence devices.
            constraint  Manage resource constraints.
            property    Manage pacemaker properties.
            acl         Manage pacemaker access control lists.
            qdevice     Manage quorum device provider on the local host.
            quorum      Manage cluster quorum settings.
            booth       Manage booth (cluster ticket manager).
            status      View cluster status.
            config      View and manage cluster configuration.
            pcsd        Manage pcs daemon.
            host        Manage hosts known to pcs/pcsd.
            node        Manage cluster nodes.
            alert       Manage pacemaker alerts.
            client      Manage pcsd client configuration.
            dr          Manage disaster recovery configuration.
            tag         Manage pacemaker tags.
        """ + "\n\n";

    /// <summary>A group's help header (<c>pcs resource -h</c>) and its usage line when a command is unknown, as pcs 0.11.5 prints them.</summary>
    public static (string Help, string Unknown)? Group(string name) => name switch
    {
        "resource" => ("Usage: pcs resource [commands]...\nManage pacemaker resources\n\nCommands:", "Usage: pcs resource ..."),
        "stonith" => ("Usage: pcs stonith [commands]...\nConfigure fence devices for use with pacemaker\n\nCommands:", "Usage: pcs stonith ..."),
        "property" => ("Usage: pcs property [commands]...\nConfigure pacemaker properties\n\nCommands:", "Usage: pcs property ..."),
        "constraint" => ("Usage: pcs constraint [constraints]...\nManage resource constraints\n\nCommands:", "Usage: pcs constraint [constraints]..."),
        "node" => ("Usage: pcs node <command>\nManage cluster nodes\n\nCommands:", "Usage: pcs node <command>"),
        // pcs prints no blank line before this group's "Commands:".
        "status" => ("Usage: pcs status [commands]...\nView current cluster and resource status\nCommands:", "Usage: pcs status ..."),
        "config" => ("Usage: pcs config [commands]...\nView and manage cluster configuration\n\nCommands:", "Usage: pcs config ..."),
        "cluster" => ("Usage: pcs cluster [commands]...\nConfigure cluster for use with pacemaker\n\nCommands:", "Usage: pcs cluster ..."),
        _ => null,
    };

    /// <summary>The command groups of the real pcs 0.11.5 (its top-level words).</summary>
    public static readonly IReadOnlySet<string> RealGroups = new HashSet<string>(StringComparer.Ordinal)
    {
        "cluster", "resource", "stonith", "constraint", "property", "acl", "qdevice", "quorum", "booth", "status", "config",
        "pcsd", "host", "node", "alert", "client", "dr", "tag",
    };
}
