# Shell helpers shared by the project's OCF agents (POSIX sh). Sourced, never executed.
# Return codes of the resource-agent API.
OCF_SUCCESS=0
OCF_ERR_GENERIC=1
OCF_ERR_ARGS=2
OCF_ERR_UNIMPLEMENTED=3
OCF_ERR_PERM=4
OCF_ERR_INSTALLED=5
OCF_ERR_CONFIGURED=6
OCF_NOT_RUNNING=7
OCF_RUNNING_MASTER=8
OCF_FAILED_MASTER=9

: "${OCF_RESOURCE_INSTANCE:=default}"
: "${OCF_RESKEY_CRM_meta_timeout:=20000}"

# Logs to stderr; the executor captures and logs it with the operation.
# fd 8 is the executor's stderr, also while tracing sends fd 2 to the trace file.
exec 8>&2

ocf_log() {
    _lvl=$1; shift
    printf '%s: %s: %s\n' "$_lvl" "${OCF_RESOURCE_INSTANCE}" "$*" >&8
}

# The reason shown in the operation history and by crm_mon; the last one wins.
ocf_exit_reason() {
    printf 'ocf-exit-reason:%s\n' "$*" >&8
}

ocf_is_true() {
    case "$1" in
        [Yy][Ee][Ss]|[Yy]|[Tt][Rr][Uu][Ee]|1|[Oo][Nn]) return 0 ;;
    esac
    return 1
}

ocf_have() {
    command -v "$1" >/dev/null 2>&1
}

# Is this a probe (a one-shot monitor)?
ocf_is_probe() {
    [ "${__OCF_ACTION}" = monitor ] && [ "${OCF_RESKEY_CRM_meta_interval:-0}" = 0 ]
}

# Per-node run directory: HA_ROOT keeps nodes of one machine apart.
ocf_run_dir() {
    _d="${HA_ROOT}/run/resource-agents"
    mkdir -p "$_d" 2>/dev/null
    printf '%s\n' "$_d"
}

# Seconds left of the operation's timeout (at least 1).
ocf_timeout_seconds() {
    _s=$(( ${OCF_RESKEY_CRM_meta_timeout:-20000} / 1000 ))
    [ "$_s" -ge 1 ] || _s=1
    printf '%s\n' "$_s"
}

# Standard tail of every agent: dispatch the action to the function of the same name.
# $1 = action, functions: agent_meta_data agent_validate agent_start agent_stop agent_monitor.
ocf_usage() {
    printf 'usage: %s {start|stop|monitor|status|validate-all|meta-data}\n' "$0" >&2
}

# True while process $1 runs; kill -0 alone also succeeds on an unreaped zombie.
ocf_pid_alive() {
    kill -0 "$1" 2>/dev/null || return 1
    _st=$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)
    [ "$_st" != Z ]
}

# trace_ra=1 (or OCF_TRACE_RA=1): trace this run with set -x into trace_file, else into
# <run dir>/ra_trace/<type>/<instance>.<action>.<timestamp>.
ocf_start_trace() {
    ocf_is_true "${OCF_RESKEY_trace_ra:-0}" || [ "${OCF_TRACE_RA:-0}" = 1 ] || return 0
    [ "$1" = meta-data ] && return 0
    _tf=${OCF_RESKEY_trace_file:-$(ocf_run_dir)/ra_trace/${OCF_RESOURCE_TYPE:-agent}/${OCF_RESOURCE_INSTANCE}.$1.$(date +%Y-%m-%d.%H:%M:%S)}
    mkdir -p "$(dirname "$_tf")" 2>/dev/null
    exec 2>>"$_tf" || return 0
    set -x
}
