#!/bin/sh
# fleetflash-agent: the pull agent of fleetflash for routers the server cannot reach (NAT, CGNAT, firewalls).
# The router opens every connection; the server never connects to it. Protocol: docs/agent-protocol.md.
#
#   fleetflash-agent enroll <url> <organization> <registration secret>
#       registers this router with the organization and stores url, device and token in
#       /etc/config/fleetflash (mode 600). The secret is sent once, never stored or printed.
#   fleetflash-agent run       the poll loop (run by the procd service /etc/init.d/fleetflash): upgrades,
#                              configuration restores and health probes, as the server hands them out
#   fleetflash-agent status    what the agent knows: server, device, the operation it works on
#   fleetflash-agent version
#
# Written for OpenWrt's busybox ash with only stock tools: uclient-fetch (or busybox wget), sha256sum,
# ubus, sysupgrade. Everything the server sends is checked against its expected shape before it reaches
# a command line, and every expansion is quoted. State lives in /etc/fleetflash/ (kept by sysupgrade
# through /lib/upgrade/keep.d/fleetflash) so the `booted` report survives the reboot of the flash.

VERSION=1.1.0
CONFIG=/etc/config/fleetflash
STATE_DIR=/etc/fleetflash
STATE=$STATE_DIR/state
IMAGE=/tmp/fleetflash-image.bin
BACKUP=/tmp/fleetflash-backup.tar.gz
RESTORE=/tmp/fleetflash-restore.tar.gz
KEEP_LIST=/lib/upgrade/keep.d/fleetflash
NL='
'
WORK=/tmp/fleetflash-agent
# Tunables (the service sets none; tests shorten them): the first retry delay of the doubling backoff,
# how long a download may go without the file growing before it is cut and resumed, how often a running
# download reports its progress.
BACKOFF=${FLEETFLASH_AGENT_BACKOFF:-5}
STALL_SECONDS=${FLEETFLASH_AGENT_STALL:-60}
PROGRESS_SECONDS=${FLEETFLASH_AGENT_PROGRESS:-10}
# After a 401 the agent waits for a new enrollment, and polls again with its stored token this often (± 10 %)
# in case the refusal was a mistake (a server restored from an old backup, a revocation undone).
UNAUTHORIZED_REPOLL=${FLEETFLASH_AGENT_UNAUTHORIZED_REPOLL:-1800}
DOWNLOAD_TRIES=5
REPORT_TRIES=6
POLL_INTERVAL=60
LONG_POLL=55

# To stderr: the terminal for enroll and status, the system log for the service (procd's stderr 1).
log() {
  echo "fleetflash-agent: $*" >&2
}

die() {
  log "$*"
  exit 1
}

# --- small helpers -------------------------------------------------------------------------------

# Reads a value from a key=value file: file, key.
kv_get() {
  local line
  [ -f "$1" ] || return 0
  while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in "$2="*) printf '%s\n' "${line#*=}"; return 0 ;; esac
  done < "$1"
}

# Sets a key of the state file (written whole and renamed, so a power cut leaves the old or the new one).
state_set() {
  mkdir -p "$STATE_DIR"
  { [ -f "$STATE" ] && grep -v "^$1=" "$STATE"; printf '%s=%s\n' "$1" "$2"; } > "$STATE.new"
  mv "$STATE.new" "$STATE"
}

state_get() { kv_get "$STATE" "$1"; }

state_clear() { rm -f "$STATE" "$STATE.new"; }

# Sets RND to a number in 0..32767: ash's $RANDOM where it has one, awk's otherwise (seeded with the time
# and the pid). Not through $(...): a subshell would draw from a copy and leave the sequence where it was.
random15() {
  RND=$RANDOM
  [ -n "$RND" ] || RND=$(awk -v pid="$$" 'BEGIN { srand(); print int(rand() * 32768 + pid) % 32768 }')
}

# Sleeps `seconds` ± 20 %, so a fleet that rebooted together does not poll in step.
sleep_jitter() {
  local base=$1 spread
  spread=$((base * 2 / 5))
  if [ "$spread" -gt 0 ]; then
    random15
    base=$((base - spread / 2 + RND % (spread + 1)))
  fi
  [ "$base" -ge 1 ] || base=1
  sleep "$base"
}

# Waits before retry number $1: BACKOFF doubled per failure, at most 5 minutes, with jitter.
backoff() {
  local delay=$BACKOFF n=1
  while [ "$n" -lt "$1" ] && [ "$delay" -lt 300 ]; do delay=$((delay * 2)); n=$((n + 1)); done
  [ "$delay" -le 300 ] || delay=300
  sleep_jitter "$delay"
}

file_size() {
  [ -f "$1" ] || { echo 0; return; }
  set -- $(ls -ln "$1")
  echo "$5"
}

# Form encoding for application/x-www-form-urlencoded: newlines and tabs become spaces, other control
# characters are dropped.
urlencode() {
  printf '%s' "$1" | tr '\n\r\t' '   ' | tr -d '\000-\037' \
    | sed -e 's/%/%25/g' -e 's/&/%26/g' -e 's/+/%2B/g' -e 's/=/%3D/g' -e 's/;/%3B/g' -e 's/#/%23/g' -e 's/ /+/g'
}

is_uuid() {
  [ "${#1}" -eq 36 ] || return 1
  printf '%s' "$1" | grep -q '^[0-9a-f]\{8\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{4\}-[0-9a-f]\{12\}$'
}

is_digits() { case "$1" in '' | *[!0-9]*) return 1 ;; esac; [ "${#1}" -le 12 ]; }

is_sha256() { [ "${#1}" -eq 64 ] && case "$1" in *[!0-9a-f]*) false ;; esac; }

# sysupgrade flags: space-separated, each a dash and one letter.
is_flags() {
  local flag ok=0
  set -f
  for flag in $1; do
    case "$flag" in -[A-Za-z]) ;; *) ok=1 ;; esac
  done
  set +f
  return "$ok"
}

# An http(s) URL of characters that need no quoting anywhere (the ticket URLs the server signs).
is_url() {
  case "$1" in http://?* | https://?*) ;; *) return 1 ;; esac
  case "$1" in *[!A-Za-z0-9._~:/?@!\&+,\;=%-]*) return 1 ;; esac
  return 0
}

# A value that may go into the config file between single quotes and into a form unchanged.
is_plain() { [ -n "$1" ] && case "$1" in *[!A-Za-z0-9._~:/@+=-]*) false ;; esac; }

# --- what the router is ---------------------------------------------------------------------------

# One string value of `ubus call system board` by its key (each key the agent reads occurs once): the
# JSON comes pretty-printed on a router, on one line elsewhere; the pattern finds it either way.
board_value() {
  ubus call system board 2>/dev/null \
    | sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\\([^\"]*\\)\".*/\\1/p" | head -n 1
}

boot_id() { cat /proc/sys/kernel/random/boot_id 2>/dev/null; }

release() { board_value version; }

first_mac() {
  local dev mac
  for dev in eth0 /sys/class/net/*; do
    dev=${dev##*/}
    [ "$dev" = lo ] && continue
    mac=$(cat "/sys/class/net/$dev/address" 2>/dev/null)
    case "$mac" in '' | 00:00:00:00:00:00) continue ;; esac
    echo "$mac"
    return 0
  done
}

# --- HTTP ---------------------------------------------------------------------------------------

# uclient-fetch (every OpenWrt since 17.01) or busybox wget; both take -q -O -c --post-file.
fetch_tool() {
  if command -v uclient-fetch >/dev/null 2>&1; then echo uclient-fetch; else echo wget; fi
}

# Kills process $1 after $2 seconds unless the watchdog (its pid in WATCHDOG) is killed first; the
# watchdog takes its sleep with it, so no stray sleeps pile up. A file $3, if named, is created when the
# watchdog kills (so the caller can tell a timeout from the process's own end).
watch_process() {
  (
    trap 'kill "$nap" 2>/dev/null; exit 0' TERM
    sleep "$2" &
    nap=$!
    wait "$nap"
    if kill -0 "$1" 2>/dev/null; then
      [ -z "$3" ] || : > "$3"
      kill "$1" 2>/dev/null
    fi
  ) &
  WATCHDOG=$!
}

# Runs the fetch tool with a watchdog: busybox wget often has no timeout option, and a dead link must
# not hang the agent. Arguments: seconds, then the tool's own. Sets HTTP_STATUS (a 4xx number when
# the server refused) and returns 0 on success, 1 on a network error or 5xx, 2 on a 4xx.
fetch() {
  local limit=$1 tool pid rc
  shift
  tool=$(fetch_tool)
  if [ "$tool" = uclient-fetch ]; then set -- -T "$limit" "$@"; fi
  : > "$WORK/err"
  "$tool" "$@" 2> "$WORK/err" &
  pid=$!
  watch_process "$pid" "$limit"
  wait "$pid"
  rc=$?
  kill "$WATCHDOG" 2>/dev/null
  HTTP_STATUS=$(sed -n -e 's/.*HTTP error \([0-9][0-9][0-9]\).*/\1/p' \
    -e 's/.*HTTP\/1\.[01] \([0-9][0-9][0-9]\).*/\1/p' "$WORK/err" | tail -n 1)
  [ "$rc" -eq 0 ] && return 0
  case "$HTTP_STATUS" in 4??) return 2 ;; esac
  return 1
}

# POSTs a binary file (the backup). uclient-fetch sends it as it is; busybox wget cannot (it sends
# --post-file up to the first NUL byte, and a gzip has one in its header), so without uclient-fetch the
# request is written by hand to busybox nc (http only). Sets UPLOAD_ERROR when it fails.
upload() {
  local file=$1 url=$2 hostport host port path pid status waited
  UPLOAD_ERROR=''
  if [ "$(fetch_tool)" = uclient-fetch ]; then
    fetch 300 -q -O "$WORK/answer" --post-file "$file" "$url" && return 0
    UPLOAD_ERROR=${HTTP_STATUS:+HTTP $HTTP_STATUS}
    UPLOAD_ERROR=${UPLOAD_ERROR:-$(tail -n 1 "$WORK/err")}
    return 1
  fi
  case "$url" in
    http://*) ;;
    *) UPLOAD_ERROR="an https upload needs uclient-fetch (busybox wget cannot send binary files)"; return 1 ;;
  esac
  hostport=${url#http://}
  hostport=${hostport%%/*}
  path=/${url#http://*/}
  host=${hostport%:*}
  port=${hostport##*:}
  [ "$port" = "$hostport" ] && port=80
  rm -f "$WORK/upload"
  # The request stays open until the answer starts: nc half-closes the connection when its input ends,
  # and a Node.js server drops a request whose client did that before it answered.
  {
    printf 'POST %s HTTP/1.0\r\nHost: %s\r\nContent-Type: application/octet-stream\r\n' "$path" "$hostport"
    printf 'Content-Length: %s\r\nConnection: close\r\n\r\n' "$(file_size "$file")"
    cat "$file"
    waited=0
    while [ ! -s "$WORK/upload" ] && [ "$waited" -lt 300 ]; do sleep 1; waited=$((waited + 1)); done
  } | nc "$host" "$port" > "$WORK/upload" 2> "$WORK/err" &
  pid=$!
  watch_process "$pid" 300
  wait "$pid"
  kill "$WATCHDOG" 2>/dev/null
  status=$(head -n 1 "$WORK/upload" | cut -d ' ' -f 2)
  [ "$status" = 200 ] && return 0
  UPLOAD_ERROR="HTTP ${status:-no answer}"
  return 1
}

# POSTs a form (built with `form`) to a path of the server; the answer lands in $WORK/answer.
# The form travels in a file rather than --post-data so the token never shows in `ps`.
post_form() {
  local rc
  rm -f "$WORK/answer"
  (umask 077 && printf '%s' "$2" > "$WORK/form")
  fetch "${3:-30}" -q -O "$WORK/answer" --post-file "$WORK/form" "$URL$1"
  rc=$?
  rm -f "$WORK/form"
  touch "$WORK/answer"
  return "$rc"
}

# Appends one field to $FORM.
form() { FORM="$FORM${FORM:+&}$1=$(urlencode "$2")"; }

# Reads the server's key=value answer into A_<key> variables (only the keys the agent knows).
parse_answer() {
  local line value
  A_action='' A_operation='' A_image_url='' A_sha256='' A_size='' A_flags='' A_backup=''
  A_backup_url='' A_release='' A_poll_interval='' A_long_poll='' A_token='' A_device='' A_ok=''
  A_archive_url='' A_board='' A_probe='' A_timeout='' A_command='' A_attempt='' A_retry_after=''
  while IFS= read -r line || [ -n "$line" ]; do
    value=${line#*=}
    case "$line" in
      action=*) A_action=$value ;; operation=*) A_operation=$value ;; image_url=*) A_image_url=$value ;;
      sha256=*) A_sha256=$value ;; size=*) A_size=$value ;; flags=*) A_flags=$value ;;
      backup=*) A_backup=$value ;; backup_url=*) A_backup_url=$value ;; release=*) A_release=$value ;;
      poll_interval=*) A_poll_interval=$value ;; long_poll=*) A_long_poll=$value ;;
      token=*) A_token=$value ;; device=*) A_device=$value ;; ok=*) A_ok=$value ;;
      archive_url=*) A_archive_url=$value ;; board=*) A_board=$value ;;
      probe=*) A_probe=$value ;; timeout=*) A_timeout=$value ;;
      attempt=*) A_attempt=$value ;; retry_after=*) A_retry_after=$value ;;
      # A command of several lines comes as several command= lines, in order.
      command=*) A_command=${A_command:+$A_command$NL}$value ;;
    esac
  done < "$WORK/answer"
  # A rotated token comes with any answer; it is used from the next request on.
  if [ -n "$A_token" ] && [ "$A_token" != "$TOKEN" ] && is_plain "$A_token"; then
    TOKEN=$A_token
    write_config "$URL" "$TOKEN" "$DEVICE" "$LONG_POLL"
    log "the server rotated the device token"
  fi
}

# --- configuration ----------------------------------------------------------------------------

write_config() {
  umask 077
  mkdir -p "${CONFIG%/*}"
  printf "config agent 'agent'\n\toption url '%s'\n\toption token '%s'\n\toption device '%s'\n" \
    "$1" "$2" "$3" > "$CONFIG.new"
  # The server's long poll sets how long a poll may stay open before the agent calls the link dead.
  printf "\toption long_poll '%s'\n" "$4" >> "$CONFIG.new"
  chmod 600 "$CONFIG.new"
  mv "$CONFIG.new" "$CONFIG"
}

# Reads url, token and device of /etc/config/fleetflash (the file this script writes; no uci needed).
load_config() {
  local line value
  URL='' TOKEN='' DEVICE=''
  [ -f "$CONFIG" ] || return 1
  while IFS= read -r line || [ -n "$line" ]; do
    set -f
    set -- $line
    set +f
    [ "$1" = option ] || continue
    value=${3#\'}
    value=${value%\'}
    case "$2" in
      url) URL=$value ;; token) TOKEN=$value ;; device) DEVICE=$value ;;
      long_poll) is_digits "$value" && LONG_POLL=$value ;;
    esac
  done < "$CONFIG"
  [ -n "$URL" ] && [ -n "$TOKEN" ]
}

# --- reports ------------------------------------------------------------------------------------

# Sends one numbered report of the current operation: report <step> [<field> <value>]...
# A network error or 5xx is retried with the same seq (the server stores each (operation, seq) once).
# Returns 0 when taken, 3 when the server answers action=cancel, 1 when it could not be delivered,
# 2 when the server refused it (4xx). REPORT_LIMIT bounds the attempts (0: no bound, for `booted`).
report() {
  local step=$1 seq tries=0 rc attempt
  shift
  seq=$(state_get seq)
  FORM=''
  form token "$TOKEN"
  form operation "$(state_get operation)"
  form seq "${seq:-1}"
  # The attempt of the job: the server refuses (action=cancel) a report of an attempt it gave up.
  attempt=$(state_get attempt)
  [ -z "$attempt" ] || form attempt "$attempt"
  form step "$step"
  while [ "$#" -ge 2 ]; do
    form "$1" "$(printf '%s' "$2" | tr '\n' ' ' | cut -c 1-1000)"
    shift 2
  done
  while :; do
    post_form /agent/v1/report "$FORM"
    rc=$?
    # 429 (too many requests of this device) is retried like a 5xx, after the wait the server names.
    [ "$rc" -eq 1 ] || [ "$HTTP_STATUS" = 429 ] || break
    tries=$((tries + 1))
    if [ "$REPORT_LIMIT" -gt 0 ] && [ "$tries" -ge "$REPORT_LIMIT" ]; then
      log "report $step: the server could not be reached"
      return 1
    fi
    if [ "$HTTP_STATUS" = 429 ] && retry_wait; then continue; fi
    backoff "$tries"
  done
  if [ "$rc" -ne 0 ]; then
    log "report $step refused by the server (HTTP $HTTP_STATUS)"
    return 2
  fi
  state_set seq $((${seq:-1} + 1))
  parse_answer
  [ "$A_action" = cancel ] && return 3
  return 0
}
REPORT_LIMIT=$REPORT_TRIES

# After a 429: sleeps the retry_after of the answer (at most 5 minutes); false when it names none.
retry_wait() {
  parse_answer
  is_digits "$A_retry_after" || return 1
  [ "$A_retry_after" -le 300 ] || A_retry_after=300
  sleep "$((A_retry_after + 1))"
}

# Forgets the job, keeping the operation's last seq in case the server hands the same operation out again
# (a retry after a cut): its new reports must not reuse numbers the server already stored.
forget_job() {
  local op seq
  op=$(state_get operation)
  seq=$(state_get seq)
  rm -f "$IMAGE" "$BACKUP" "$RESTORE"
  state_clear
  if [ -n "$op" ]; then
    state_set last_operation "$op"
    state_set last_seq "${seq:-1}"
  fi
}

# The operation was cancelled (by a poll answer or a report's): drop everything, report nothing more.
cancel_job() {
  log "operation $(state_get operation) cancelled by the server"
  forget_job
}

# Deletes the image and the backup, reports failed with a code and a message, then forgets the job.
fail_job() {
  log "operation $(state_get operation) failed: $1: $2"
  rm -f "$IMAGE" "$BACKUP" "$RESTORE"
  report failed code "$1" message "$2"
  forget_job
  return 1
}

# After a report of a job step: go on (0), or stop the job (1) when it was cancelled, refused (the operation
# is gone) or could not be sent. An undeliverable report leaves the state in place: the next poll names
# the operation and the server decides whether to hand it out again.
step_done() {
  case "$1" in
    0) return 0 ;;
    3) cancel_job ;;
    2) forget_job ;;
    *) state_set phase abandoned ;;
  esac
  return 1
}

# --- the job ------------------------------------------------------------------------------------

# Starts the state of a job of operation $1 (phase $2), numbering its reports after those the server has
# of it already (the same operation handed out again: a new attempt, a probe after the boot).
begin_job() {
  local seq=1
  if [ "$(state_get operation)" = "$1" ]; then
    seq=$(state_get seq)
  elif [ "$(state_get last_operation)" = "$1" ]; then
    seq=$(state_get last_seq)
  else
    rm -f "$IMAGE" "$BACKUP" "$RESTORE"
  fi
  state_clear
  state_set operation "$1"
  state_set seq "${seq:-1}"
  state_set phase "$2"
}

# The job's attempt (attempt=; none from an older server), sent with every report of the job.
keep_attempt() {
  if is_digits "$A_attempt"; then state_set attempt "$A_attempt"; fi
}

# Checks the upgrade answer (A_*) and stores the job in the state file. Returns 1 for a job it refuses.
accept_job() {
  local problem=''
  if ! is_uuid "$A_operation"; then
    log "ignored an upgrade with a malformed operation id"
    return 1
  fi
  begin_job "$A_operation" working
  state_set kind upgrade
  keep_attempt
  is_url "$A_image_url" || problem="image_url"
  is_sha256 "$A_sha256" || problem="$problem sha256"
  is_digits "$A_size" && [ "$A_size" -gt 0 ] || problem="$problem size"
  is_flags "$A_flags" || problem="$problem flags"
  case "$A_backup" in required | best-effort | off) ;; *) problem="$problem backup" ;; esac
  [ "$A_backup" = off ] || is_url "$A_backup_url" || problem="$problem backup_url"
  if [ -n "$problem" ]; then
    fail_job image-rejected "refused the job: malformed ${problem# }"
    return 1
  fi
  state_set image_url "$A_image_url"
  state_set sha256 "$A_sha256"
  state_set size "$A_size"
  state_set flags "$A_flags"
  state_set backup "$A_backup"
  state_set backup_url "$A_backup_url"
  state_set release "$A_release"
}

# Step 2: memory and /tmp space for the image (what is already downloaded counts as had).
check_space() {
  local size have need mem tmp
  size=$(state_get size)
  have=$(file_size "$IMAGE")
  need=$(((size - have + 1023) / 1024))
  mem=$(sed -n 's/^MemAvailable:[[:space:]]*\([0-9]*\).*/\1/p' /proc/meminfo 2>/dev/null)
  [ -n "$mem" ] || mem=$(sed -n 's/^MemFree:[[:space:]]*\([0-9]*\).*/\1/p' /proc/meminfo 2>/dev/null)
  # df wraps a long filesystem name onto its own line: the free column is third from the end either way.
  tmp=$(df -k /tmp 2>/dev/null | awk 'END { print $(NF - 2) }')
  # A figure the router does not give (an old kernel, a df without /tmp) does not stop the job.
  is_digits "$mem" || mem=unknown
  is_digits "$tmp" || tmp=unknown
  if { [ "$mem" != unknown ] && [ "$mem" -lt $((need + 2048)) ]; } \
    || { [ "$tmp" != unknown ] && [ "$tmp" -lt $((need + 256)) ]; }; then
    fail_job insufficient-memory "the image needs $need KiB more: $mem KiB of memory available, $tmp KiB free in /tmp"
    return 1
  fi
  report checked message "memory: $mem KiB available, /tmp: $tmp KiB free, image: $((size / 1024)) KiB"
  step_done $?
}

# Step 3: the configuration backup, uploaded to the ticket URL the server gave.
take_backup() {
  local mode reason='' out bytes
  mode=$(state_get backup)
  [ "$mode" = off ] && return 0
  rm -f "$BACKUP"
  if out=$(sysupgrade -b "$BACKUP" 2>&1) && [ -s "$BACKUP" ]; then
    bytes=$(file_size "$BACKUP")
    # A slow backup and upload must not look like silence (the server's report timeout).
    report log message "configuration backup taken ($bytes bytes): uploading it"
    step_done $? || { rm -f "$BACKUP"; return 1; }
    upload "$BACKUP" "$(state_get backup_url)" || reason="the upload failed ($UPLOAD_ERROR)"
  else
    reason="sysupgrade -b failed: $out"
  fi
  rm -f "$BACKUP"
  if [ -z "$reason" ]; then
    report backup message "uploaded the configuration backup ($bytes bytes)"
  elif [ "$mode" = required ]; then
    fail_job backup-failed "$reason"
    return 1
  else
    report backup message "no backup (best effort): $reason"
  fi
  step_done $?
}

# Step 4: the download, resumed with -c after a cut or a stall, reporting progress while it runs.
download() {
  local size url attempt=0 have last still tick tool dl_pid rc
  size=$(state_get size)
  url=$(state_get image_url)
  tool=$(fetch_tool)
  while :; do
    have=$(file_size "$IMAGE")
    [ "$have" -ge "$size" ] && break
    attempt=$((attempt + 1))
    if [ "$attempt" -gt "$DOWNLOAD_TRIES" ]; then
      fail_job transfer-interrupted "the download stopped at $have of $size bytes after $DOWNLOAD_TRIES attempts"
      return 1
    fi
    [ "$attempt" -gt 1 ] && backoff $((attempt - 1))
    report downloading bytes "$have"
    step_done $? || return 1
    : > "$WORK/err"
    "$tool" -q -c -O "$IMAGE" "$url" 2> "$WORK/err" &
    dl_pid=$!
    last=$have
    still=0
    tick=0
    while kill -0 "$dl_pid" 2>/dev/null; do
      sleep 1
      have=$(file_size "$IMAGE")
      if [ "$have" = "$last" ]; then still=$((still + 1)); else still=0; last=$have; fi
      if [ "$still" -ge "$STALL_SECONDS" ]; then
        log "the download stalled at $have bytes: cut it to resume"
        kill "$dl_pid" 2>/dev/null
      fi
      tick=$((tick + 1))
      [ "$tick" -ge "$PROGRESS_SECONDS" ] || continue
      tick=0
      report downloading bytes "$have"
      if [ "$?" -eq 3 ]; then
        kill "$dl_pid" 2>/dev/null
        wait "$dl_pid"
        cancel_job
        return 1
      fi
    done
    wait "$dl_pid"
    rc=$?
    [ "$rc" -eq 0 ] && continue
    # A 4xx other than 416 (the file is complete already) and 429 (downloads are rate-limited per device:
    # the backoff waits) will not get better: the ticket expired or the operation is gone.
    case $(sed -n 's/.*HTTP[^0-9]*[0-9.]* \([0-9][0-9][0-9]\).*/\1/p' "$WORK/err" | tail -n 1) in
      416 | 429) ;;
      4??) fail_job transfer-interrupted "the server refused the download: $(tail -n 1 "$WORK/err")"; return 1 ;;
      *)
        have=$(file_size "$IMAGE")
        log "download attempt $attempt cut at $have bytes: $(tail -n 1 "$WORK/err")"
        report log message "the download was cut at $have of $size bytes; resuming it"
        step_done $? || return 1
        ;;
    esac
  done
  report downloaded
  step_done $?
}

# Steps 5 and 6: checksum and size, then the image check of sysupgrade itself.
verify() {
  local sum have out
  have=$(file_size "$IMAGE")
  sum=$(sha256sum "$IMAGE" | cut -d ' ' -f 1)
  if [ "$have" != "$(state_get size)" ] || [ "$sum" != "$(state_get sha256)" ]; then
    fail_job checksum-mismatch \
      "the image has sha256 $sum and $have bytes; expected $(state_get sha256), $(state_get size) bytes"
    return 1
  fi
  if ! out=$(sysupgrade -T "$IMAGE" 2>&1); then
    fail_job image-rejected "sysupgrade -T refused the image: $out"
    return 1
  fi
  report verified
  step_done $? || return 1
  state_set phase ready
  report ready
  step_done $?
}

# action=upgrade: the job up to `ready`; the poll loop then waits for action=flash.
run_job() {
  accept_job || return 0
  log "operation $(state_get operation): upgrade to $(state_get release)"
  check_space && take_backup && download && verify
  return 0
}

# The point of no return of a flash or a restore: the verified file $1 (the $2) must still be whole; the boot
# id is kept for the `booted` report and `flashing` is reported. Returns 1 when the agent must not go on (the
# file is gone, the job was cancelled or refused, or the report could not be sent: then it stays ready).
begin_flash() {
  if [ "$(file_size "$1")" != "$(state_get size)" ]; then
    fail_job transfer-interrupted "the verified $2 is gone from /tmp (did the router restart?)"
    return 1
  fi
  state_set boot_id "$(boot_id)"
  state_set phase flashing
  report flashing
  case $? in
    0) return 0 ;;
    3) cancel_job ;;
    2) forget_job ;;
    *) state_set phase ready ;;
  esac
  return 1
}

# action=flash: step 8. sysupgrade does not return when it flashes (it kills this script and reboots).
flash_job() {
  local out rc
  if [ "$A_operation" != "$(state_get operation)" ] || [ "$(state_get phase)" != ready ]; then
    log "ignored action=flash for operation $A_operation: not ready for it"
    return 0
  fi
  if [ "$(state_get kind)" = restore ]; then
    restore_now
    return 0
  fi
  begin_flash "$IMAGE" image || return 0
  log "flashing with sysupgrade $(state_get flags)"
  set -f
  # The flags are unquoted on purpose: one word each, checked to be a dash and a letter.
  out=$(sysupgrade $(state_get flags) "$IMAGE" 2>&1)
  rc=$?
  set +f
  # sysupgrade hands the flash to procd, which kills every process: a moment may pass before it does.
  [ "$rc" -eq 0 ] && sleep 60
  state_set phase ready
  fail_job flash-refused "sysupgrade returned (exit code $rc) without flashing: $out"
  return 0
}

# --- configuration restores and health probes ----------------------------------------------------

# A board name as ubus gives it (e.g. tplink,archer-c7-v5).
is_board() { [ -n "$1" ] && [ "${#1}" -le 100 ] && case "$1" in *[!A-Za-z0-9._,+-]*) false ;; esac; }

# action=restore: fetch the backup to restore (a ticket URL), check it and the board, report ready; the
# poll loop then waits for action=flash, which restores it (restore_now).
restore_job() {
  # The answer's values, copied: every report parses its own answer into A_*.
  local problem='' url=$A_archive_url sha=$A_sha256 size=$A_size want=$A_board have sum board
  if ! is_uuid "$A_operation"; then
    log "ignored a restore with a malformed operation id"
    return 0
  fi
  begin_job "$A_operation" working
  state_set kind restore
  keep_attempt
  is_url "$url" || problem="archive_url"
  is_sha256 "$sha" || problem="$problem sha256"
  is_digits "$size" && [ "$size" -gt 0 ] || problem="$problem size"
  is_board "$want" || problem="$problem board"
  if [ -n "$problem" ]; then
    fail_job image-rejected "refused the restore: malformed ${problem# }"
    return 0
  fi
  state_set size "$size"
  log "operation $(state_get operation): restore a configuration backup"
  board=$(board_value board_name)
  if [ "$board" != "$want" ]; then
    fail_job board-mismatch "this router is board ${board:-unknown}; the backup was taken on $want: nothing changed"
    return 0
  fi
  rm -f "$RESTORE"
  if ! fetch 300 -q -O "$RESTORE" "$url"; then
    fail_job transfer-interrupted "the backup could not be downloaded: $(tail -n 1 "$WORK/err")"
    return 0
  fi
  report downloaded
  step_done $? || return 0
  have=$(file_size "$RESTORE")
  sum=$(sha256sum "$RESTORE" | cut -d ' ' -f 1)
  if [ "$have" != "$size" ] || [ "$sum" != "$sha" ]; then
    fail_job checksum-mismatch "the backup has sha256 $sum and $have bytes; expected $sha, $size bytes"
    return 0
  fi
  report verified
  step_done $? || return 0
  state_set phase ready
  report ready
  step_done $?
  return 0
}

# The agent's own files as they are now, one path per line without the leading slash: the backup holds
# older ones (a token rotated since, the state of the upgrade it was taken in, perhaps an older agent).
own_files() {
  local path
  { echo "$CONFIG"; echo "$STATE_DIR"; [ -f "$KEEP_LIST" ] && cat "$KEEP_LIST"; } | while IFS= read -r path; do
    path=${path%/}
    case "$path" in /?*) ;; *) continue ;; esac
    { [ -e "$path" ] || [ -L "$path" ]; } && echo "${path#/}"
  done | sort -u
}

# action=flash of a restore: sysupgrade -r puts the backup's files back, keeping the agent's own files as
# they are now; then the router reboots and the agent reports `booted` (the release must be the same).
restore_now() {
  local out rc
  begin_flash "$RESTORE" backup || return 0
  # As arguments, not tar -T (not every busybox has it); the paths are the agent's own, without blanks.
  set -f
  # shellcheck disable=SC2046
  tar -czf "$WORK/own.tar.gz" -C / $(own_files) 2>/dev/null
  set +f
  log "restoring the configuration: sysupgrade -r"
  out=$(sysupgrade -r "$RESTORE" 2>&1)
  rc=$?
  tar -xzf "$WORK/own.tar.gz" -C / 2>/dev/null
  rm -f "$WORK/own.tar.gz" "$RESTORE"
  if [ "$rc" -ne 0 ]; then
    fail_job restore-failed "sysupgrade -r exited with $rc: $out"
    return 0
  fi
  log "configuration restored: rebooting"
  reboot
  # reboot returns at once and the system goes down a moment later.
  sleep 60
}

# action=probe: one health-check probe after the boot, run by sh and killed at its timeout; its exit status
# and the start of its output are reported (`probe`). The agent runs what its server sends, as the server's
# SSH probes do on routers it reaches. Background processes a probe starts are not killed with it.
run_probe() {
  local op=$A_operation index=$A_probe limit=$A_timeout pid rc timed_out=0 output
  if ! is_uuid "$op" || ! is_digits "$index" || ! is_digits "$limit" || [ "$limit" -lt 1 ] \
    || [ "$limit" -gt 3600 ] || [ -z "$A_command" ]; then
    log "ignored a malformed probe"
    return 0
  fi
  begin_job "$op" probing
  keep_attempt
  rm -f "$WORK/probe.out" "$WORK/probe.killed"
  printf '%s\n' "$A_command" > "$WORK/probe.sh"
  sh "$WORK/probe.sh" > "$WORK/probe.out" 2>&1 < /dev/null &
  pid=$!
  watch_process "$pid" "$limit" "$WORK/probe.killed"
  wait "$pid"
  rc=$?
  kill "$WATCHDOG" 2>/dev/null
  [ -f "$WORK/probe.killed" ] && timed_out=1
  output=$(dd if="$WORK/probe.out" bs=1000 count=1 2>/dev/null)
  rm -f "$WORK/probe.sh" "$WORK/probe.out" "$WORK/probe.killed"
  if [ "$timed_out" = 1 ]; then
    report probe index "$index" exit '' timed_out 1 output "$output"
  else
    report probe index "$index" exit "$rc" timed_out 0 output "$output"
  fi
  forget_job
}

# Step 9: the first thing after the reboot. Retried until the server takes it (the network may come up
# late after a boot); the server compares boot id and release with what it expects (proof of boot).
report_boot() {
  [ "$(state_get phase)" = flashing ] || return 0
  REPORT_LIMIT=0
  report booted boot_id "$(boot_id)" release "$(release)" revision "$(board_value revision)"
  REPORT_LIMIT=$REPORT_TRIES
  forget_job
}

# --- the poll loop ------------------------------------------------------------------------------

# 401: the token is unknown or revoked. The agent waits for `enroll` to write another token, and polls again
# with the stored one every UNAUTHORIZED_REPOLL seconds (the refusal may be undone on the server).
wait_for_enrollment() {
  local old=$TOKEN waited=0 limit step
  log "the server refused the device token: waiting for fleetflash-agent enroll"
  random15
  limit=$((UNAUTHORIZED_REPOLL - UNAUTHORIZED_REPOLL / 10 + RND % (UNAUTHORIZED_REPOLL / 5 + 1)))
  [ "$limit" -ge 1 ] || limit=1
  while [ "$waited" -lt "$limit" ]; do
    step=30
    [ $((limit - waited)) -ge "$step" ] || step=$((limit - waited))
    sleep "$step"
    waited=$((waited + step))
    load_config && [ "$TOKEN" != "$old" ] && return 0
  done
  log "polling again with the stored token"
}

# The operation the agent is working on, as the poll names it (none once a job was forgotten).
current_operation() {
  case $(state_get phase) in working | ready | abandoned) state_get operation ;; esac
}

poll_once() {
  local operation=''
  # After a restart mid-job the poll names no operation: the server hands the job out again.
  [ -n "$RESTARTED" ] || operation=$(current_operation)
  FORM=''
  form token "$TOKEN"
  form boot_id "$(boot_id)"
  form release "$(release)"
  form agent_version "$VERSION"
  form operation "$operation"
  # The phase tells the server whether a flash order got here (ready: it did not, send it again).
  [ -z "$operation" ] || form phase "$(state_get phase)"
  # The server holds the poll no longer than this agent waits for it.
  form long_poll "$LONG_POLL"
  post_form /agent/v1/poll "$FORM" $((LONG_POLL + 30))
}

# The pause after an answer without work: a poll the server held for the whole long poll is followed at
# once (0-3 s of jitter), so the agent listens almost all the time; otherwise polls start poll_interval
# seconds apart (counted from the start of the previous one, ± 10 %).
poll_pause() {
  local elapsed wait
  elapsed=$(($(date +%s) - $1))
  if [ "$LONG_POLL" -gt 0 ] && [ "$elapsed" -ge $((LONG_POLL - 1)) ]; then
    random15
    sleep $((RND % 4))
    return 0
  fi
  wait=$((POLL_INTERVAL - elapsed))
  [ "$wait" -gt 0 ] || return 0
  random15
  wait=$((wait - POLL_INTERVAL / 10 + RND % (POLL_INTERVAL / 5 + 1)))
  [ "$wait" -gt 0 ] && sleep "$wait"
  return 0
}

# One `run` at a time (the service, or someone trying it by hand): two would take the same job twice.
# The lock lives in /tmp, so a reboot clears it; one left by a killed run is taken over.
lock_run() {
  local holder
  mkdir -p "$WORK"
  if ! mkdir "$WORK/run.lock" 2>/dev/null; then
    holder=$(cat "$WORK/run.lock/pid" 2>/dev/null)
    if [ -n "$holder" ] && [ "$holder" != "$$" ] && kill -0 "$holder" 2>/dev/null; then
      die "already running (pid $holder)"
    fi
    rm -rf "$WORK/run.lock"
    mkdir "$WORK/run.lock" || die "cannot take the lock $WORK/run.lock"
  fi
  echo "$$" > "$WORK/run.lock/pid"
}

run() {
  local failures=0 rc started
  load_config || die "not enrolled: run fleetflash-agent enroll <url> <organization> <secret> first"
  lock_run
  report_boot
  # A job left working (or abandoned) by a run that died (OOM, power cut): its download resumes once the
  # server hands the job out again, which it does to a poll naming no operation.
  RESTARTED=''
  case $(state_get phase) in working | abandoned) RESTARTED=1 ;; esac
  while :; do
    started=$(date +%s)
    poll_once
    rc=$?
    if [ "$rc" -ne 0 ]; then
      case "$rc:$HTTP_STATUS" in
        2:401) wait_for_enrollment; continue ;;
        2:404) forget_job ;;
        2:*) log "the server refused the poll (HTTP $HTTP_STATUS)" ;;
        *) log "poll failed: $(tail -n 1 "$WORK/err" 2>/dev/null)" ;;
      esac
      failures=$((failures + 1))
      backoff "$failures"
      continue
    fi
    failures=0
    RESTARTED=''
    parse_answer
    is_digits "$A_poll_interval" && POLL_INTERVAL=$A_poll_interval
    is_digits "$A_long_poll" && LONG_POLL=$A_long_poll
    case "$A_action" in
      upgrade) run_job ;;
      restore) restore_job ;;
      flash) flash_job ;;
      probe) run_probe ;;
      cancel) [ "$A_operation" = "$(state_get operation)" ] && cancel_job ;;
      *) poll_pause "$started" ;;
    esac
  done
}

# --- enroll and status --------------------------------------------------------------------------

enroll() {
  local url=${1%/} organization=$2 secret=$3 rc
  [ "$#" -eq 3 ] || die "usage: fleetflash-agent enroll <url> <organization> <registration secret>"
  is_url "$url" || die "not an http(s) URL: $url"
  is_plain "$organization" || die "not an organization slug: $organization"
  [ -n "$secret" ] || die "the registration secret is empty"
  mkdir -p "$WORK"
  URL=$url
  TOKEN=''
  FORM=''
  form organization "$organization"
  form secret "$secret"
  form mac "$(first_mac)"
  form board "$(board_value board_name)"
  form model "$(board_value model)"
  form release "$(release)"
  # With the revision the server names the build the router runs, and links it (docs/agent-protocol.md).
  form revision "$(board_value revision)"
  form distribution "$(board_value distribution)"
  form boot_id "$(boot_id)"
  form hostname "$(board_value hostname)"
  form agent_version "$VERSION"
  post_form /agent/v1/enroll "$FORM"
  rc=$?
  FORM=''
  case "$rc:$HTTP_STATUS" in
    0:*) ;;
    2:401) die "enrollment refused: wrong organization or registration secret" ;;
    2:429) die "enrollment refused: too many attempts from this address, try again later" ;;
    2:*) die "enrollment refused (HTTP $HTTP_STATUS): $(tail -n 1 "$WORK/err")" ;;
    *) die "cannot reach $url: $(tail -n 1 "$WORK/err")" ;;
  esac
  parse_answer
  is_uuid "$A_device" && is_plain "$A_token" || die "the server's enrollment answer is malformed"
  is_digits "$A_long_poll" && LONG_POLL=$A_long_poll
  write_config "$url" "$A_token" "$A_device" "$LONG_POLL"
  echo "enrolled with $url as device $A_device"
}

status() {
  echo "agent version: $VERSION"
  if load_config; then
    echo "server: $URL"
    echo "device: $DEVICE"
  else
    echo "not enrolled"
  fi
  echo "release: $(release)"
  echo "boot id: $(boot_id)"
  if [ -n "$(state_get operation)" ]; then
    if [ "$(state_get kind)" = restore ]; then
      echo "operation: $(state_get operation) ($(state_get phase), configuration restore)"
    else
      echo "operation: $(state_get operation) ($(state_get phase), upgrade to $(state_get release))"
    fi
  else
    echo "operation: none"
  fi
}

umask 077
case "$1" in
  enroll) shift; enroll "$@" ;;
  run) run ;;
  status) status ;;
  version) echo "$VERSION" ;;
  *)
    echo "usage: fleetflash-agent enroll <url> <organization> <secret> | run | status | version" >&2
    exit 2
    ;;
esac
