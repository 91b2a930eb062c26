#!/bin/sh
# fleetflash agent installer: installs the pull agent on an OpenWrt router and enrolls it.
#
#   wget -qO- <server>/agent/install.sh | sh -s -- <server> <organization> <registration secret>
#
# Downloads the agent script from the server given first (the one this installer came from), installs
#   /usr/sbin/fleetflash-agent      the agent (agent/fleetflash-agent.sh)
#   /etc/init.d/fleetflash          its procd service (respawned when it exits)
#   /lib/upgrade/keep.d/fleetflash  what a sysupgrade that keeps settings must keep: script, service,
#                                   configuration (the device token) and state (the operation being flashed)
# then enrolls the router with the organization's registration secret (sent once, never stored) and
# enables and starts the service. Running it again upgrades the script and enrolls again (a new token).

set -e

die() {
  echo "fleetflash install: $*" >&2
  exit 1
}

# The server URL comes first: a script read from a pipe cannot tell where it was downloaded from.
[ "$#" -eq 3 ] || die "usage: wget -qO- <server url>/agent/install.sh | sh -s -- <server url> <organization> <secret>"
url=${1%/}
case "$url" in http://?* | https://?*) ;; *) die "not an http(s) URL: $url" ;; esac

if command -v uclient-fetch >/dev/null 2>&1; then fetch=uclient-fetch; else fetch=wget; fi
download=/tmp/fleetflash-agent.download
rm -f "$download"
"$fetch" -q -O "$download" "$url/agent/fleetflash-agent.sh" || die "cannot download $url/agent/fleetflash-agent.sh"
# A proxy's error page or a cut download must not become the service.
[ "$(head -n 1 "$download")" = "#!/bin/sh" ] && grep -q '^VERSION=' "$download" && sh -n "$download" \
  || die "$url/agent/fleetflash-agent.sh is not the agent script"

mkdir -p /usr/sbin /etc/init.d /lib/upgrade/keep.d /etc/fleetflash
mv "$download" /usr/sbin/fleetflash-agent
chmod 755 /usr/sbin/fleetflash-agent

# The service and the keep list are here-documents with these exact markers: custom images that carry the
# agent copy them from here (src/modules/agent/agent-first-boot.ts).
cat > /etc/init.d/fleetflash <<'SERVICE'
#!/bin/sh /etc/rc.common
# fleetflash pull agent (installed by the fleetflash installer): polls the server for upgrades.
START=99
STOP=10
USE_PROCD=1

start_service() {
	procd_open_instance
	procd_set_param command /usr/sbin/fleetflash-agent run
	# Respawned forever, 30 s apart: the agent exits only when something is wrong (not enrolled yet).
	procd_set_param respawn 3600 30 0
	procd_set_param stdout 1
	procd_set_param stderr 1
	procd_close_instance
}
SERVICE
chmod 755 /etc/init.d/fleetflash

cat > /lib/upgrade/keep.d/fleetflash <<'KEEP'
/usr/sbin/fleetflash-agent
/etc/init.d/fleetflash
/etc/rc.d/S99fleetflash
/etc/rc.d/K10fleetflash
/etc/config/fleetflash
/etc/fleetflash/
/lib/upgrade/keep.d/fleetflash
KEEP

/usr/sbin/fleetflash-agent enroll "$url" "$2" "$3"
/etc/init.d/fleetflash enable
/etc/init.d/fleetflash restart
echo "fleetflash agent $(/usr/sbin/fleetflash-agent version) installed and running"
