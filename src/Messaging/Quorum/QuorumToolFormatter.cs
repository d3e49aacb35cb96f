using System.Globalization;
using System.Text;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Quorum;

/// <summary>How corosync-quorumtool orders the membership table (-o a|n|i).</summary>
public enum MemberOrder
{
    Address,
    Name,
    NodeId,
}

/// <summary>One row of the membership table: the node, its votes, its name and first address.</summary>
public sealed record MemberRow(NodeId Node, uint Votes, string? Name, string Address);

/// <summary>Display switches of corosync-quorumtool (-H, -i, -o).</summary>
public sealed record QuorumToolView(bool HexNodeIds = false, bool ShowAddresses = false, MemberOrder Order = MemberOrder.Address);

/// <summary>
/// corosync-quorumtool's text output, byte for byte as 3.1.7 prints it: labels padded to column
/// 18, ctime() dates, the `Quorum:` line's two trailing spaces or `Activity blocked`, the flag list
/// each followed by one space, and the %10u columns of the membership table.
/// </summary>
public static class QuorumToolFormatter
{
    public static string Status(QuorumStatus status, IReadOnlyList<MemberRow> rows, DateTime localNow, QuorumToolView view)
    {
        var sb = new StringBuilder();
        sb.Append("Quorum information\n------------------\n");
        Line(sb, "Date:", CTime(localNow));
        Line(sb, "Quorum provider:", "corosync_votequorum");
        Line(sb, "Nodes:", Num(rows.Count));
        Line(sb, "Node ID:", view.HexNodeIds ? Hex(status.LocalNode) : Num(status.LocalNode.Value));
        Line(sb, "Ring ID:", status.RingId.ToString());
        Line(sb, "Quorate:", status.Quorate ? "Yes" : "No");
        sb.Append("\nVotequorum information\n----------------------\n");
        Line(sb, "Expected votes:", Num(status.ExpectedVotes));
        Line(sb, "Highest expected:", Num(status.HighestExpected));
        Line(sb, "Total votes:", Num(status.TotalVotes));
        Line(sb, "Quorum:", Num(status.Quorum) + " " + (status.Quorate ? " " : "Activity blocked"));
        Line(sb, "Flags:", Flags(status));
        sb.Append(Members(status.LocalNode, rows, view));
        return sb.ToString();
    }

    /// <summary>`-l`: the membership block only, preceded by an empty line.</summary>
    public static string List(NodeId local, IReadOnlyList<MemberRow> rows, QuorumToolView view) => Members(local, rows, view);

    public static string Flags(QuorumStatus status)
    {
        var sb = new StringBuilder();
        if (status.TwoNode) sb.Append("2Node ");
        if (status.Quorate) sb.Append("Quorate ");
        if (status.WaitForAll) sb.Append("WaitForAll ");
        if (status.LastManStanding) sb.Append("LastManStanding ");
        if (status.AutoTieBreaker) sb.Append("AutoTieBreaker ");
        if (status.AllowDownscale) sb.Append("AllowDownscale ");
        return sb.ToString();
    }

    /// <summary>C's ctime() without the newline: `Sat Nov  1 22:32:49 2026`.</summary>
    public static string CTime(DateTime t) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{t.ToString("ddd MMM", CultureInfo.InvariantCulture)} {t.Day,2} {t:HH:mm:ss} {t.Year}");

    private static string Members(NodeId local, IReadOnlyList<MemberRow> rows, QuorumToolView view)
    {
        var sb = new StringBuilder();
        sb.Append("\nMembership information\n----------------------\n");
        sb.Append("    Nodeid      Votes Name\n");
        IEnumerable<MemberRow> ordered = view.Order switch
        {
            MemberOrder.NodeId => rows.OrderBy(r => r.Node.Value),
            MemberOrder.Name => rows.OrderBy(r => r.Name ?? r.Address, StringComparer.Ordinal),
            _ => rows.OrderBy(r => AddressKey(r.Address), StringComparer.Ordinal).ThenBy(r => r.Node.Value),
        };
        foreach (var row in ordered)
        {
            if (view.HexNodeIds)
                sb.Append(Hex(row.Node)).Append(' ');
            else
                sb.Append(row.Node.Value.ToString(CultureInfo.InvariantCulture).PadLeft(10)).Append(' ');
            sb.Append(row.Votes.ToString(CultureInfo.InvariantCulture).PadLeft(10)).Append(' ');
            sb.Append(view.ShowAddresses ? row.Address : row.Name ?? row.Address);
            if (row.Node == local)
                sb.Append(" (local)");
            sb.Append('\n');
        }
        return sb.ToString();
    }

    // Sorting by address compares the binary address, so pad IPv4 octets to compare numerically.
    private static string AddressKey(string address) =>
        System.Net.IPAddress.TryParse(address, out var ip)
            ? Convert.ToHexString(ip.MapToIPv6().GetAddressBytes())
            : address;

    private static void Line(StringBuilder sb, string label, string value) => sb.Append(label.PadRight(18)).Append(value).Append('\n');

    private static string Num(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Hex(NodeId n) => "0x" + n.Value.ToString("x8", CultureInfo.InvariantCulture);
}
