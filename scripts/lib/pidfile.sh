# Pid files that name one process, sourced by dev-cluster.sh and cri-containerd.sh.
# A file holds "PID STARTTIME" (field 22 of /proc/PID/stat, clock ticks since boot). /run is on disk
# on our VMs, so after a crash or a reboot a stale file's pid may belong to another process: it only
# counts as ours while its start time matches. Files of the older "PID" form are checked by command line.

# Prints the start time of process $1 (fails when there is no such process).
proc_start() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }  # after "(comm) ", which may hold spaces; field 3 is now $1
  # shellcheck disable=SC2086
  set -- $s
  echo "${20}"
}

# Writes pid file $1 for process $2.
pidfile_write() { echo "$2 $(proc_start "$2" || echo 0)" >"$1"; }

# Prints the pid in file $1.
pidfile_pid() { local pid _; read -r pid _ <"$1" && echo "$pid"; }

# True while the process of pid file $1 lives; $2: text its command line must hold (files of the older form).
pidfile_alive() {
  local pid start now cmd
  [ -f "$1" ] || return 1
  read -r pid start <"$1" || return 1
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  now=$(proc_start "$pid") || return 1
  if [ -n "${start:-}" ]; then [ "$now" = "$start" ]; return; fi
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ "$cmd" == *"$2"* ]]
}
