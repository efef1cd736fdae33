#!/bin/sh
# castline imaging init: PID 1 of the imaging initramfs.
# Loads the NIC and disk drivers, gets an address by DHCP, reads the server and job token from
# the kernel command line and runs castline-imager. On a fatal error it shows the error, reports
# it to castlined if it can, then waits or powers off (castline.on_error=wait|poweroff). It never
# reboots on an error and never exits: PID 1 exiting would panic the kernel.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin

/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/castline

say() { echo "castline: $*"; }

server=
token=
on_error="wait"
marker=
network_up=
stage=start

# The error goes to the console first, then to castlined (best effort: the network or the
# server may be what failed), then the machine waits or powers off. It never returns.
fatal() {
    say "error: $*"
    if [ -n "$network_up" ] && [ -n "$server" ] && [ -n "$token" ]; then
        message=$(echo "$*" | sed 's/\\/\\\\/g; s/"/\\"/g')
        body="{\"status\":\"failed\",\"stage\":\"$stage\",\"error\":\"$message\"}"
        # Bounded by timeout(1): busybox 1.35's own wget -T crashes (segfault in its timer).
        if answer=$(timeout 10 wget -q -O /dev/null --header "Content-Type: application/json" \
            --post-data "$body" "http://$server/api/v1/jobs/$token/result" 2>&1); then
            say "error reported to $server"
        elif echo "$answer" | grep -q ' 409 '; then
            # castlined keeps the first result: the imager's own, which names its stage.
            say "error already reported to $server by the imager"
        else
            say "could not report the error to $server"
        fi
    fi
    sync
    if [ "$on_error" = poweroff ]; then
        say "powering off (castline.on_error=poweroff)"
        poweroff -f
    fi
    say "waiting (castline.on_error=wait); the machine stays as it is"
    while :; do sleep 3600; done
}

say "init started, kernel $(uname -r)"

# shellcheck disable=SC2013 # the command line is words, not lines
for arg in $(cat /proc/cmdline); do
    case "$arg" in
    castline.server=*) server=${arg#castline.server=} ;;
    castline.token=*) token=${arg#castline.token=} ;;
    castline.on_error=*) on_error=${arg#castline.on_error=} ;;
    castline.console_marker=*) marker=${arg#castline.console_marker=} ;;
    esac
done
case "$on_error" in
wait | poweroff) ;;
*)
    say "unknown castline.on_error=$on_error, using wait"
    on_error="wait"
    ;;
esac
[ -n "$marker" ] && say "console marker $marker"

stage=modules
modules=/lib/modules/$(uname -r)
loaded=0
total=0
while read -r module; do
    total=$((total + 1))
    if insmod "$modules/$module" 2>/run/castline/insmod.err; then
        loaded=$((loaded + 1))
    else
        say "warning: could not load $module: $(cat /run/castline/insmod.err)"
    fi
done <"$modules/castline.load"
say "modules loaded: $loaded of $total"

for dev in /sys/class/net/*; do
    ifc=${dev##*/}
    [ "$ifc" = lo ] && continue
    driver=$(readlink "$dev/device/driver" 2>/dev/null)
    say "nic $ifc driver ${driver##*/} mac $(cat "$dev/address")"
done

stage=network
# Every NIC with a link gets a DHCP try, in name order, for a few rounds: a machine may have
# several ports of which only one is cabled to the imaging network.
try_dhcp() {
    for dev in /sys/class/net/*; do
        ifc=${dev##*/}
        [ "$ifc" = lo ] && continue
        ip link set "$ifc" up 2>/dev/null
        waited=0
        while [ "$(cat "$dev/carrier" 2>/dev/null)" != 1 ] && [ $waited -lt 30 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        if [ "$(cat "$dev/carrier" 2>/dev/null)" != 1 ]; then
            say "no link on $ifc"
            continue
        fi
        say "dhcp on $ifc"
        if udhcpc -i "$ifc" -n -q -t 3 -T 2 -s /etc/udhcpc.script >/run/castline/udhcpc.log 2>&1 &&
            [ -s /run/castline/lease ]; then
            return 0
        fi
        say "no DHCP answer on $ifc"
        ip addr flush dev "$ifc" 2>/dev/null
    done
    return 1
}
round=0
until try_dhcp; do
    round=$((round + 1))
    [ $round -ge 3 ] && fatal "no DHCP answer on any network interface"
    sleep 2
done
network_up=1
read -r lease_ifc lease_ip _ lease_router </run/castline/lease
say "network up on $lease_ifc $lease_ip${lease_router:+ router $lease_router}"

stage=job
[ -n "$server" ] || fatal "no castline.server= on the kernel command line"
[ -n "$token" ] || fatal "no castline.token= on the kernel command line"
say "server $server token $token"

imager=/bin/castline-imager
# An imager from before the job command prints its usage for anything it does not know.
if ! "$imager" --help 2>&1 | grep -qw job; then
    fatal "castline-imager has no 'job' command; this media needs an imager that runs jobs"
fi
say "running castline-imager job"
"$imager" job --server "$server" --token "$token"
rc=$?
[ $rc -eq 0 ] || fatal "castline-imager job failed with exit code $rc"

# The imager says what to do after a job in /run/castline/power_action: reboot, poweroff or stay.
action=stay
[ -s /run/castline/power_action ] && read -r action </run/castline/power_action
say "job done; power action $action"
sync
case "$action" in
reboot) reboot -f ;;
poweroff) poweroff -f ;;
esac
while :; do sleep 3600; done
