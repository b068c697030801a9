#!/usr/bin/env bash
# Puts the appliance inline between the LAN (or Wi-Fi) and the router without changing any client:
# a Linux bridge over the LAN-side and WAN-side interfaces, and nftables rules that hand HTTP (80),
# HTTPS (443) and DNS (53) arriving on a zone's LAN-side interfaces to that zone's transparent
# listeners. Everything else is bridged as it is. docs/operations.md explains the set-up.
#
#   scripts/bridge.sh up CONFIG      build the bridge and the rules; records what it added
#   scripts/bridge.sh down CONFIG    removes exactly what 'up' recorded, in reverse order
#   scripts/bridge.sh status CONFIG  what is in place, and whether the listeners are there
#   scripts/bridge.sh check CONFIG   reads the configuration and the interfaces; changes nothing
#   scripts/bridge.sh rules CONFIG   prints the nftables rules 'up' would load (bridge MAC as 02:00:00:00:00:00)
#
# CONFIG is a file of 'key = value' lines ('#' starts a comment):
#   bridge = omamori0           the bridge's name (created when missing)
#   wan = eth0                  the WAN-side interface (towards the router)
#   zone.lan = eth1             a zone's LAN-side interfaces, comma-separated; the zone name is the
#                               proxy's and the DNS filter's zone (lan, ssid-primary, ...)
#   zone.lan.ports = 80,443,53  where that zone's http, tls and DNS listeners are (default 80,443,53)
#   address = 192.168.1.2/24    the appliance's own address on the bridge: its uplink, definitions
#                               and upstream DNS leave from it, and redirected traffic arrives on it
#   gateway = 192.168.1.1       optional: default route for the appliance's own traffic
#   failure = open              open: while no listener holds the port (the appliance stopped or
#                               crashed) the traffic goes to the router untouched; closed: it is
#                               refused (TCP reset, ICMP unreachable) until the appliance is back
#   smtp.server = 192.168.1.10  optional, off by default: SMTP (TCP 25) to this mail server that
#                               crosses the bridge, from either side, goes to the SMTP intake
#                               instead (whose nextHop is this server): docs/mail-intake.md
#   smtp.port = 25              the SMTP intake's listener port on the bridge's address (default 25)
#
# The appliance's own traffic is never redirected: only frames that ENTER through a zone's
# LAN-side interface are, and the appliance's packets are sent, not received, by the bridge.
#
# Environment: OMAMORI_BRIDGE_STATE_DIR (default /run/omamori) holds <bridge>.state.
# Exit codes: 0 ok; 1 failed (what 'up' had done is undone); 2 usage or configuration error;
# 3 a named interface is missing or in use, or a tool is missing; 4 status/down: not up.
set -eEuo pipefail

STATE_DIR="${OMAMORI_BRIDGE_STATE_DIR:-/run/omamori}"
MARK_BASE=0x4f4d0000   # "OM": the high half says the packet was steered by us, the low half is the zone

die() { local code="$1"; shift; printf 'bridge.sh: %s\n' "$@" >&2; exit "$code"; }

# ---- configuration -------------------------------------------------------------------------
BRIDGE="" WAN="" ADDRESS="" GATEWAY="" FAILURE="open" SMTP_SERVER="" SMTP_PORT="25"
SMTP_MARK=0x4f4d00ff   # SMTP handed to the intake: not a zone's mark (zones count up from 1)
ZONES=()            # zone names, in file order
declare -A ZONE_IFACES ZONE_PORTS

valid_ifname() { [[ "$1" =~ ^[A-Za-z0-9_.-]{1,15}$ ]]; }
valid_zone() { [[ "$1" =~ ^[a-z0-9][a-z0-9-]{0,31}$ ]]; }
valid_port() { [[ "$1" =~ ^[0-9]{1,5}$ ]] && (( $1 >= 1 && $1 <= 65535 )); }

read_config() {
  local file="$1" n=0 line key value
  [[ -r "$file" ]] || die 2 "cannot read the configuration file '$file'."
  while IFS= read -r line || [[ -n "$line" ]]; do
    n=$((n + 1))
    line="${line%%#*}"
    [[ "$line" =~ ^[[:space:]]*$ ]] && continue
    [[ "$line" =~ ^[[:space:]]*([A-Za-z0-9_.-]+)[[:space:]]*=[[:space:]]*([^[:space:]]*)[[:space:]]*$ ]] \
      || die 2 "$file:$n: not 'key = value': $line"
    key="${BASH_REMATCH[1]}" value="${BASH_REMATCH[2]}"
    [[ -n "$value" ]] || die 2 "$file:$n: $key has no value."
    case "$key" in
      bridge) valid_ifname "$value" || die 2 "$file:$n: bridge: '$value' is not an interface name."; BRIDGE="$value" ;;
      wan) valid_ifname "$value" || die 2 "$file:$n: wan: '$value' is not an interface name."; WAN="$value" ;;
      address) [[ "$value" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}/[0-9]{1,2}$ ]] || die 2 "$file:$n: address: '$value' is not IPv4/prefix."; ADDRESS="$value" ;;
      gateway) [[ "$value" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ ]] || die 2 "$file:$n: gateway: '$value' is not an IPv4 address."; GATEWAY="$value" ;;
      failure) [[ "$value" == open || "$value" == closed ]] || die 2 "$file:$n: failure: '$value' is not open or closed."; FAILURE="$value" ;;
      smtp.server) [[ "$value" =~ ^([0-9]{1,3}\.){3}[0-9]{1,3}$ ]] || die 2 "$file:$n: smtp.server: '$value' is not an IPv4 address."; SMTP_SERVER="$value" ;;
      smtp.port) valid_port "$value" || die 2 "$file:$n: smtp.port: '$value' is not a port."; SMTP_PORT="$value" ;;
      zone.*.ports)
        local zone="${key#zone.}"; zone="${zone%.ports}"
        valid_zone "$zone" || die 2 "$file:$n: '$zone' is not a zone name (a-z, 0-9, -)."
        [[ "$value" =~ ^([0-9]+),([0-9]+),([0-9]+)$ ]] || die 2 "$file:$n: $key: '$value' is not http,tls,dns ports."
        local p; for p in "${BASH_REMATCH[@]:1}"; do valid_port "$p" || die 2 "$file:$n: $key: $p is not a port."; done
        ZONE_PORTS[$zone]="$value" ;;
      zone.*)
        local zone="${key#zone.}" iface
        valid_zone "$zone" || die 2 "$file:$n: '$zone' is not a zone name (a-z, 0-9, -)."
        [[ -z "${ZONE_IFACES[$zone]:-}" ]] || die 2 "$file:$n: zone $zone is named twice."
        for iface in ${value//,/ }; do valid_ifname "$iface" || die 2 "$file:$n: $key: '$iface' is not an interface name."; done
        ZONES+=("$zone"); ZONE_IFACES[$zone]="${value//,/ }" ;;
      *) die 2 "$file:$n: unknown key '$key' (bridge, wan, zone.NAME, zone.NAME.ports, address, gateway, failure, smtp.server, smtp.port)." ;;
    esac
  done <"$file"
  [[ -n "$BRIDGE" ]] || die 2 "$file: bridge is not set."
  [[ -n "$WAN" ]] || die 2 "$file: wan is not set."
  [[ -n "$ADDRESS" ]] || die 2 "$file: address is not set (redirected traffic arrives on the bridge's address)."
  (( ${#ZONES[@]} > 0 )) || die 2 "$file: no zone.NAME = interfaces line."
  if [[ -n "$SMTP_SERVER" && "$FAILURE" == open && "$SMTP_PORT" != 25 ]]; then
    die 2 "$file: failure = open needs the SMTP intake on port 25 (the port senders ask for); smtp.port is $SMTP_PORT. Use failure = closed, or listen on 25."
  fi
  local zone seen=" " ports
  for zone in "${!ZONE_PORTS[@]}"; do
    [[ -n "${ZONE_IFACES[$zone]:-}" ]] || die 2 "$file: zone.$zone.ports set but zone.$zone has no interfaces."
  done
  for zone in "${ZONES[@]}"; do
    ports="${ZONE_PORTS[$zone]:-80,443,53}"; ZONE_PORTS[$zone]="$ports"
    [[ "$seen" != *" $ports "* ]] || die 2 "$file: two zones share the listener ports $ports; each zone needs its own listeners."
    seen+="$ports "
    # Fail-open is the kernel's: the redirect applies only while a listener holds the very port the
    # client asked for (nft 'socket'); a listener on another port cannot be looked up that way.
    if [[ "$FAILURE" == open && "$ports" != 80,443,53 ]]; then
      die 2 "$file: failure = open needs zone $zone's listeners on 80,443,53 (the ports clients ask for); it has $ports. Use failure = closed, or move the listeners."
    fi
  done
}

# ---- checks ----------------------------------------------------------------------------------
need_tools() {
  local t; for t in ip nft sysctl; do command -v "$t" >/dev/null || die 3 "'$t' is missing: run scripts/netns-tools.sh install (nftables, iproute2)."; done
  (( EUID == 0 )) || die 3 "must run as root (it changes interfaces and nftables rules)."
}

# The master an interface is enslaved to, or nothing.
master_of() { ip -o link show dev "$1" 2>/dev/null | sed -n 's/.* master \([^ ]*\) .*/\1/p'; }

check_interfaces() {
  local iface zone
  for iface in "$WAN" $(for zone in "${ZONES[@]}"; do echo "${ZONE_IFACES[$zone]}"; done); do
    ip link show dev "$iface" >/dev/null 2>&1 || die 3 "interface '$iface' does not exist (ip link show); nothing was changed."
    [[ "$iface" != "$BRIDGE" ]] || die 2 "interface '$iface' is the bridge itself."
    local master; master="$(master_of "$iface")"
    [[ -z "$master" || "$master" == "$BRIDGE" ]] || die 3 "interface '$iface' is already in '$master'; nothing was changed."
    if ip -o -4 addr show dev "$iface" | grep -q inet; then
      die 3 "interface '$iface' has an IPv4 address; a bridge port must not (move it to 'address' on the bridge); nothing was changed."
    fi
  done
}

# ---- state: what 'up' added, one action per line, undone in reverse by 'down' ---------------
state_file() { echo "$STATE_DIR/$BRIDGE.state"; }
record() { printf '%s\n' "$*" >>"$(state_file)"; }

sysctl_set() { # key value: remembers the old value, then sets
  local old; old="$(sysctl -n "$1")"
  [[ "$old" == "$2" ]] && return 0
  record "sysctl $1 $old"
  sysctl -qw "$1=$2"
}

rules() { # the nftables script of the zones
  local mac="$1" i=0 zone http tls dns mark ifaces
  echo "table bridge omamori_$BRIDGE {"
  echo "  chain prerouting {"
  echo "    type filter hook prerouting priority -300; policy accept;"
  for zone in "${ZONES[@]}"; do
    i=$((i + 1)); mark=$(printf '0x%08x' $((MARK_BASE + i)))
    ifaces="$(printf '"%s", ' ${ZONE_IFACES[$zone]})"; ifaces="{ ${ifaces%, } }"
    # Steer the zone's web and DNS frames up to the bridge's own IP stack, marked with the zone.
    echo "    iifname $ifaces ether type ip tcp dport { 80, 443, 53 } meta mark set $mark meta pkttype set host ether daddr set $mac accept comment \"zone $zone\""
    echo "    iifname $ifaces ether type ip udp dport 53 meta mark set $mark meta pkttype set host ether daddr set $mac accept comment \"zone $zone\""
  done
  if [[ -n "$SMTP_SERVER" ]]; then
    # SMTP to the mail server, entering on any bridge port (inbound from the WAN side to the
    # office's server, or outbound from the LAN to the smarthost): up to the intake. The
    # intake's own connection to the server is sent by the appliance and is not steered.
    echo "    ether type ip ip daddr $SMTP_SERVER tcp dport 25 meta mark set $SMTP_MARK meta pkttype set host ether daddr set $mac accept comment \"smtp\""
  fi
  echo "  }"
  echo "}"
  echo "table ip omamori_$BRIDGE {"
  echo "  chain prerouting {"
  echo "    type nat hook prerouting priority dstnat; policy accept;"
  i=0
  for zone in "${ZONES[@]}"; do
    i=$((i + 1)); mark=$(printf '0x%08x' $((MARK_BASE + i)))
    IFS=, read -r http tls dns <<<"${ZONE_PORTS[$zone]}"
    local guard=""
    # failure = open: redirect only while a listener holds the port; otherwise the packet is
    # routed on to where the client sent it (net.ipv4.ip_forward, set below).
    [[ "$FAILURE" == open ]] && guard="socket wildcard 1 "
    echo "    meta mark $mark tcp dport 80 ${guard}redirect to :$http comment \"zone $zone http\""
    echo "    meta mark $mark tcp dport 443 ${guard}redirect to :$tls comment \"zone $zone tls\""
    echo "    meta mark $mark udp dport 53 ${guard}redirect to :$dns comment \"zone $zone dns\""
    echo "    meta mark $mark tcp dport 53 ${guard}redirect to :$dns comment \"zone $zone dns\""
  done
  if [[ -n "$SMTP_SERVER" ]]; then
    local guard=""
    [[ "$FAILURE" == open ]] && guard="socket wildcard 1 "
    echo "    meta mark $SMTP_MARK tcp dport 25 ${guard}redirect to :$SMTP_PORT comment \"smtp\""
  fi
  echo "  }"
  echo "}"
}

do_up() {
  need_tools
  [[ ! -s "$(state_file)" ]] || die 1 "$BRIDGE is already up ($(state_file)); run 'down' first."
  check_interfaces
  mkdir -p "$STATE_DIR"
  : >"$(state_file)"
  trap 'echo "bridge.sh: up failed; undoing what was done" >&2; undo || true; exit 1' ERR

  if ! ip link show dev "$BRIDGE" >/dev/null 2>&1; then
    ip link add name "$BRIDGE" type bridge
    record "link-add $BRIDGE"
  fi
  local zone iface
  for iface in "$WAN" $(for zone in "${ZONES[@]}"; do echo "${ZONE_IFACES[$zone]}"; done); do
    if [[ -z "$(master_of "$iface")" ]]; then
      ip link set dev "$iface" master "$BRIDGE"
      record "enslave $iface"
    fi
    if ! ip -o link show dev "$iface" | grep -q '[<,]UP[,>]'; then
      ip link set dev "$iface" up
      record "link-up $iface"
    fi
  done
  if ! ip -o link show dev "$BRIDGE" | grep -q '[<,]UP[,>]'; then
    ip link set dev "$BRIDGE" up
    record "link-up $BRIDGE"
  fi
  if ! ip -o -4 addr show dev "$BRIDGE" | grep -qw "inet $ADDRESS"; then
    ip addr add "$ADDRESS" dev "$BRIDGE"
    record "addr $ADDRESS"
  fi
  if [[ -n "$GATEWAY" ]] && ! ip route show default | grep -q .; then
    ip route add default via "$GATEWAY" dev "$BRIDGE"
    record "route default via $GATEWAY dev $BRIDGE"
  fi
  if [[ "$FAILURE" == open ]]; then
    sysctl_set net.ipv4.ip_forward 1
    # Forwarding back out of the interface it came in on must not teach clients to bypass us.
    sysctl_set net.ipv4.conf.all.send_redirects 0
    sysctl_set "net.ipv4.conf.$BRIDGE.send_redirects" 0
  fi
  local mac; mac="$(cat "/sys/class/net/$BRIDGE/address")"
  record "nft-table ip omamori_$BRIDGE"
  record "nft-table bridge omamori_$BRIDGE"
  rules "$mac" | nft -f -
  trap - ERR
  echo "bridge.sh: $BRIDGE up: wan $WAN; $(for zone in "${ZONES[@]}"; do printf 'zone %s on %s -> %s; ' "$zone" "${ZONE_IFACES[$zone]}" "${ZONE_PORTS[$zone]}"; done)$([[ -n "$SMTP_SERVER" ]] && printf 'smtp to %s -> %s; ' "$SMTP_SERVER" "$SMTP_PORT")failure $FAILURE"
}

# Undoes the recorded actions, last first. Each step tolerates what is already gone.
undo() {
  local file; file="$(state_file)"
  [[ -f "$file" ]] || return 0
  local action a b c
  while read -r action a b c; do
    case "$action" in
      nft-table) nft delete table "$a" "$b" 2>/dev/null || true ;;
      sysctl) sysctl -qw "$a=$b" || true ;;
      route) ip route del default via "$b" 2>/dev/null || true ;;
      addr) ip addr del "$a" dev "$BRIDGE" 2>/dev/null || true ;;
      link-up) ip link set dev "$a" down 2>/dev/null || true ;;
      enslave) ip link set dev "$a" nomaster 2>/dev/null || true ;;
      link-add) ip link del "$a" 2>/dev/null || true ;;
      *) echo "bridge.sh: $file: unknown action '$action' skipped" >&2 ;;
    esac
  done < <(tac "$file")
  rm -f "$file"
}

do_down() {
  need_tools
  [[ -f "$(state_file)" ]] || die 4 "$BRIDGE is not up (no $(state_file)); nothing to remove."
  undo
  echo "bridge.sh: $BRIDGE down: removed what 'up' added."
}

do_status() {
  local file; file="$(state_file)"
  [[ -f "$file" ]] || die 4 "$BRIDGE is not up (no $file)."
  echo "bridge $BRIDGE: up; failure = $FAILURE; added:"
  sed 's/^/  /' "$file"
  local zone http tls dns port
  for zone in "${ZONES[@]}"; do
    IFS=, read -r http tls dns <<<"${ZONE_PORTS[$zone]}"
    for port in "$http/tcp" "$tls/tcp" "$dns/udp"; do
      if ss -Hln "( sport = :${port%/*} )" -A "${port#*/}" 2>/dev/null | grep -q .; then
        echo "  zone $zone: listener on ${port} is there"
      else
        echo "  zone $zone: NO listener on ${port}: traffic is $([[ "$FAILURE" == open ]] && echo "forwarded uninspected" || echo "refused")"
      fi
    done
  done
  if [[ -n "$SMTP_SERVER" ]]; then
    if ss -Hltn "( sport = :$SMTP_PORT )" 2>/dev/null | grep -q .; then
      echo "  smtp to $SMTP_SERVER: intake listener on $SMTP_PORT/tcp is there"
    else
      echo "  smtp to $SMTP_SERVER: NO intake listener on $SMTP_PORT/tcp: mail is $([[ "$FAILURE" == open ]] && echo "forwarded uninspected" || echo "refused")"
    fi
  fi
}

[[ $# -eq 2 ]] || die 2 "usage: scripts/bridge.sh up|down|status|check|rules CONFIG"
read_config "$2"
case "$1" in
  up) do_up ;;
  down) do_down ;;
  status) do_status ;;
  check) need_tools; check_interfaces; echo "bridge.sh: $2 is valid and its interfaces are there." ;;
  rules) rules 02:00:00:00:00:00 ;;
  *) die 2 "usage: scripts/bridge.sh up|down|status|check|rules CONFIG" ;;
esac
