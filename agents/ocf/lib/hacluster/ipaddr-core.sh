# The address handling shared by IPaddr and IPaddr2 (POSIX sh, iproute2). Callers set:
# IP_ADDR NIC NETMASK BROADCAST LABEL LVS_SUPPORT ARP_COUNT ARP_INTERVAL_MS ARP_BG
# RUN_ARPING NODAD NOPREFIXROUTE PREFERRED_LFT NETNS

ip_cmd() {
    if [ -n "$NETNS" ]; then ip -n "$NETNS" "$@"; else ip "$@"; fi
}

ip_family() {
    case "$IP_ADDR" in *:*) echo inet6 ;; *) echo inet ;; esac
}

# dotted quad -> prefix length; prefix length passes through
ip_mask_to_prefix() {
    case "$1" in
        *.*.*.*)
            _bits=0
            _old_ifs=$IFS; IFS=.
            for _o in $1; do
                case "$_o" in
                    255) _bits=$((_bits + 8)) ;; 254) _bits=$((_bits + 7)) ;; 252) _bits=$((_bits + 6)) ;;
                    248) _bits=$((_bits + 5)) ;; 240) _bits=$((_bits + 4)) ;; 224) _bits=$((_bits + 3)) ;;
                    192) _bits=$((_bits + 2)) ;; 128) _bits=$((_bits + 1)) ;; 0) ;;
                    *) IFS=$_old_ifs; return 1 ;;
                esac
            done
            IFS=$_old_ifs
            echo "$_bits" ;;
        *) case "$1" in ''|*[!0-9]*) return 1 ;; esac
           echo "$1" ;;
    esac
}

ip_valid_ipv4() {
    case "$1" in
        *[!0-9.]*|*..*|.*|*.) return 1 ;;
    esac
    _old_ifs=$IFS; IFS=.
    set -- $1
    IFS=$_old_ifs
    [ $# -eq 4 ] || return 1
    for _o in "$@"; do
        [ "$_o" -le 255 ] 2>/dev/null || return 1
    done
    return 0
}

# Finds the interface (and prefix length) of the connected route covering IP_ADDR, as the
# routing table says; the longest prefix wins. Prints "nic prefix".
ip_find_interface() {
    _fam=$(ip_family)
    ip_cmd -o -f "$_fam" route list match "$IP_ADDR" scope link 2>/dev/null |
    while read -r _dst _rest; do
        case "$_dst" in
            default) continue ;;
            */*) _len=${_dst#*/} ;;
            *) _len=32 ;;
        esac
        _dev=$(printf '%s\n' "$_rest" | sed -n 's/.*dev \([^ ]*\).*/\1/p')
        [ -n "$_dev" ] && printf '%s %s\n' "$_len" "$_dev"
    done | sort -rn | head -n 1 | while read -r _len _dev; do printf '%s %s\n' "$_dev" "$_len"; done
}

ip_validate() {
    if [ -z "$IP_ADDR" ]; then
        ocf_exit_reason "IP address (the ip parameter) is mandatory"
        return $OCF_ERR_CONFIGURED
    fi
    case "$IP_ADDR" in
        *:*) ;;
        *) if ! ip_valid_ipv4 "$IP_ADDR"; then
               ocf_exit_reason "IP address [$IP_ADDR] not valid."
               return $OCF_ERR_CONFIGURED
           fi ;;
    esac
    if ! ocf_have ip; then
        ocf_exit_reason "the ip command (iproute2) is not installed"
        return $OCF_ERR_INSTALLED
    fi
    if [ -n "$NETMASK" ]; then
        if ! NETMASK=$(ip_mask_to_prefix "$NETMASK"); then
            ocf_exit_reason "Invalid netmask specification [$NETMASK]"
            return $OCF_ERR_CONFIGURED
        fi
    fi
    if [ -n "$NETNS" ] && ! ip netns list 2>/dev/null | grep -q "^$NETNS\\( \\|\$\\)"; then
        ocf_exit_reason "network namespace [$NETNS] does not exist"
        return $OCF_ERR_CONFIGURED
    fi
    if [ -n "$NIC" ] && ! ip_cmd link show dev "$NIC" >/dev/null 2>&1; then
        ocf_exit_reason "Unknown interface [$NIC] No such device."
        return $OCF_ERR_CONFIGURED
    fi
    return $OCF_SUCCESS
}

# Fills NIC and NETMASK from the routing table when they were not given.
ip_resolve() {
    if [ -z "$NIC" ] || [ -z "$NETMASK" ]; then
        _found=$(ip_find_interface)
        if [ -z "$_found" ]; then
            if [ -z "$NIC" ]; then
                ocf_exit_reason "Unable to find nic or netmask for [$IP_ADDR]: no route covers it; set nic and cidr_netmask"
                return $OCF_ERR_GENERIC
            fi
            # A nic was given without a covering route: a host address.
            [ -n "$NETMASK" ] || { [ "$(ip_family)" = inet6 ] && NETMASK=128 || NETMASK=32; }
            return $OCF_SUCCESS
        fi
        [ -n "$NIC" ] || NIC=${_found% *}
        [ -n "$NETMASK" ] || NETMASK=${_found#* }
    fi
    return $OCF_SUCCESS
}

# Interfaces currently carrying IP_ADDR, one per line.
ip_where() {
    _fam=$(ip_family)
    ip_cmd -o -f "$_fam" addr show 2>/dev/null |
        awk -v a="$IP_ADDR" '{ for (i = 1; i < NF; i++) if ($i == "inet" || $i == "inet6") { split($(i+1), p, "/"); if (p[1] == a) print $2 } }'
}

ip_monitor() {
    _on=$(ip_where)
    if ocf_is_true "$LVS_SUPPORT"; then
        _on=$(printf '%s\n' "$_on" | grep -vx lo)
    fi
    if [ -z "$_on" ]; then
        return $OCF_NOT_RUNNING
    fi
    if [ -n "$NIC" ] && ! printf '%s\n' "$_on" | grep -qx "$NIC"; then
        ocf_exit_reason "$IP_ADDR is configured on $(printf "%s" "$_on" | tr "\n" " ")instead of $NIC"
        return $OCF_ERR_GENERIC
    fi
    return $OCF_SUCCESS
}

ip_send_arp() {
    [ "$(ip_family)" = inet ] || return 0
    ocf_is_true "${RUN_ARPING:-true}" || return 0
    if ! ocf_have arping; then
        ocf_log info "arping not installed; no gratuitous ARP for $IP_ADDR"
        return 0
    fi
    _cnt=${ARP_COUNT:-5}
    _ms=${ARP_INTERVAL_MS:-1000}
    case "$_ms" in ''|*[!0-9]*) _ms=1000 ;; esac
    if [ -n "$NETNS" ]; then set -- ip netns exec "$NETNS" arping; else set -- arping; fi
    # -U: unsolicited (gratuitous) ARP announcing our address. Debian's arping spaces its
    # packets by whole seconds, but a neighbour ignores an update within a second of the last
    # one (its locktime), so the configured interval matters: below a second, one arping per
    # packet. In the background, stdout, stderr and fd 8 (all the executor's pipes) are closed:
    # a child holding one keeps the executor waiting for the end of the agent's output, which
    # delayed every start by the length of the burst (up to the executor's 1 s drain).
    if [ $((_ms % 1000)) -eq 0 ] && [ "$_ms" -gt 0 ]; then
        _burst() { "$@" -q -U -c "$_cnt" -i $((_ms / 1000)) -I "$NIC" "$IP_ADDR" </dev/null >/dev/null 2>&1; }
    else
        _burst() {
            _i=0
            while [ $_i -lt "$_cnt" ]; do
                "$@" -q -U -c 1 -w 1 -I "$NIC" "$IP_ADDR" </dev/null >/dev/null 2>&1 &
                _i=$((_i + 1))
                [ $_i -lt "$_cnt" ] && sleep "$(printf '%d.%03d' $((_ms / 1000)) $((_ms % 1000)))"
            done
            wait
        }
    fi
    if ocf_is_true "${ARP_BG:-true}"; then
        # exec in a subshell: redirections on a function call make sh keep the old descriptors
        # open on fds 10 and up (dash) while the function runs.
        ( exec </dev/null >/dev/null 2>&1 8>&-; _burst "$@" ) &
    elif ! _burst "$@"; then
        ocf_log warning "arping on $NIC for $IP_ADDR failed"
    fi
    return 0
}

ip_start() {
    ip_validate || return $?
    ip_resolve || return $?
    if ip_monitor; then
        return $OCF_SUCCESS
    fi
    _fam=$(ip_family)
    set -- -f "$_fam" addr add "$IP_ADDR/$NETMASK"
    if [ -n "$BROADCAST" ] && [ "$_fam" = inet ]; then set -- "$@" brd "$BROADCAST"; fi
    set -- "$@" dev "$NIC"
    if [ -n "$LABEL" ] && [ "$_fam" = inet ]; then set -- "$@" label "$NIC:$LABEL"; fi
    if [ "$_fam" = inet6 ] && ocf_is_true "$NODAD"; then set -- "$@" nodad; fi
    if ocf_is_true "$NOPREFIXROUTE"; then set -- "$@" noprefixroute; fi
    if [ -n "$PREFERRED_LFT" ] && [ "$PREFERRED_LFT" != forever ]; then set -- "$@" preferred_lft "$PREFERRED_LFT"; fi
    if ocf_is_true "$LVS_SUPPORT"; then
        ip_cmd -f "$_fam" addr del "$IP_ADDR/32" dev lo >/dev/null 2>&1
    fi
    if ! _err=$(ip_cmd "$@" 2>&1); then
        ocf_exit_reason "ip $* failed: $_err"
        return $OCF_ERR_GENERIC
    fi
    ip_send_arp
    return $OCF_SUCCESS
}

ip_stop() {
    ip_validate || return $?
    _on=$(ip_where)
    [ -n "$_on" ] || return $OCF_SUCCESS
    _fam=$(ip_family)
    for _dev in $_on; do
        [ "$_dev" = lo ] && ocf_is_true "$LVS_SUPPORT" && continue
        _pfx=$(ip_cmd -o -f "$_fam" addr show dev "$_dev" | awk -v a="$IP_ADDR" '{ for (i = 1; i < NF; i++) if ($i == "inet" || $i == "inet6") { split($(i+1), p, "/"); if (p[1] == a) print p[2] } }' | head -n 1)
        if ! _err=$(ip_cmd -f "$_fam" addr del "$IP_ADDR/${_pfx:-32}" dev "$_dev" 2>&1); then
            ocf_exit_reason "failed to remove $IP_ADDR from $_dev: $_err"
            return $OCF_ERR_GENERIC
        fi
    done
    if ocf_is_true "$LVS_SUPPORT"; then
        # LVS direct routing: keep answering locally without advertising the address.
        ip_cmd -f "$_fam" addr add "$IP_ADDR/32" dev lo >/dev/null 2>&1
    fi
    return $OCF_SUCCESS
}
