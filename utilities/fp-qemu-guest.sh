#! /bin/sh
# A real Linux guest (QEMU, virtio-net-pci, the guest kernel's virtio_net)
# on a fastpath vhost-user port, for a Debian 12 machine, as root.
#
#   utilities/fp-qemu-guest.sh image DIR
#       builds in DIR a guest kernel (DIR/vmlinuz) and an initramfs
#       (DIR/initramfs.img) from Debian's packages, downloaded and unpacked
#       in DIR (nothing of the host's /boot changes); installs QEMU if it
#       is missing
#   utilities/fp-qemu-guest.sh run DIR SOCKET server|client IP PEER
#       boots that guest under QEMU (TCG) with its virtio-net on the
#       vhost-user socket SOCKET: "client" connects to a fastpath-vhost
#       port's socket, "server" listens there for a fastpath-vhost-client
#       port; the guest sets IP (address/prefix) on eth0, pings PEER and
#       powers off.  Prints the guest's console; exits 0 only if the guest
#       said "FP-GUEST: ping ok"
#
# For "run": FP_PING_COUNT (5) pings, each answered, after at most
# FP_SETTLE (30) seconds for the first answer; FP_WAIT (0) seconds that the
# guest stays up after its pings, answering pings itself (-1: until the
# timeout); FP_TIMEOUT (240) seconds for all of it; FP_MAC (52:54:00:fb:00:
# and IP's last byte); FP_CONSOLE (DIR/console-<pid>.log) the console's copy.

set -e

usage() {
    sed -n '2,22s/^# \{0,1\}//p' "$0"
    exit 1
}

log() {
    echo "fp-qemu-guest: $*"
}

die() {
    log "$*" >&2
    exit 1
}

# The modules that virtio-net over PCI needs; those they depend on come
# along, in the order in which they load.
GUEST_MODULES="virtio_pci virtio_net"

need_root() {
    test "$(id -u)" = 0 || die "run this as root"
}

# QEMU is the one package that is installed; the others are only unpacked.
install_qemu() {
    if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
        need_root
        log "installing qemu-system-x86"
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends qemu-system-x86
    fi
}

# Prints the name of the kernel image package that linux-image-amd64 (a
# meta package) stands for, e.g. linux-image-6.1.0-57-amd64.
kernel_package() {
    if [ -n "$FP_KERNEL_PACKAGE" ]; then
        echo "$FP_KERNEL_PACKAGE"
        return
    fi
    apt-cache depends linux-image-amd64 2>/dev/null \
        | sed -n 's/^ *Depends: \(linux-image-[^ <>]*\)$/\1/p' | head -n 1
}

# Downloads package $1 into DIR/debs, unless a .deb of it is there already.
download() {
    if ! ls "$dir/debs/${1}_"*.deb >/dev/null 2>&1; then
        log "downloading $1"
        # As root: apt's own user may not write to DIR.
        (cd "$dir/debs" \
             && apt-get download -q -o APT::Sandbox::User=root "$1")
    fi
}

# Downloads the kernel and busybox-static packages into DIR/debs (if they
# are not there yet) and unpacks them into DIR/root.  Package lists that
# are missing or out of date are updated once.
fetch_packages() {
    mkdir -p "$dir/debs"
    kpkg=$(kernel_package)
    if [ -z "$kpkg" ] || ! download "$kpkg" || ! download busybox-static
    then
        apt-get update -q
        kpkg=$(kernel_package)
        test -n "$kpkg" || die "apt knows no linux-image-amd64"
        download "$kpkg"
        download busybox-static
    fi
    rm -rf "$dir/root"
    mkdir -p "$dir/root"
    for deb in "$dir/debs/${kpkg}_"*.deb "$dir/debs/busybox-static_"*.deb; do
        log "unpacking $(basename "$deb")"
        dpkg-deb -x "$deb" "$dir/root"
    done
}

# Whether module $1 is built into the kernel.
is_builtin() {
    sed 's,.*/,,; s,\.ko.*,,; s,-,_,g' "$moddir/modules.builtin" \
        | grep -qx "$1"
}

# Puts module $1, uncompressed, into the initramfs, after those it depends
# on (each module once).  Built-in modules need nothing.
add_module() {
    case " $added " in
        *" $1 "*) return ;;
    esac
    added="$added $1"
    if is_builtin "$1"; then
        log "module $1: built in"
        return
    fi
    ko=$(find "$moddir/kernel" \( -name "$1.ko*" \
              -o -name "$(echo "$1" | tr _ -).ko*" \) | head -n 1)
    test -n "$ko" || die "module $1 is in neither modules.builtin nor $moddir"
    case $ko in
        *.ko) cat "$ko" ;;
        *.ko.xz) xz -dc "$ko" ;;
        *.ko.zst) zstd -qdc "$ko" ;;
        *.ko.gz) gzip -dc "$ko" ;;
        *) die "$ko: unknown compression" ;;
    esac > "$stage/lib/modules/$1.ko"
    log "module $1: ${ko#"$dir"/root/}"
    # The "depends=" string of the module's .modinfo section.
    for dep in $(tr '\000' '\n' < "$stage/lib/modules/$1.ko" \
                     | sed -n 's/^depends=//p' | tr ',' ' '); do
        add_module "$dep"
    done
    echo "$1" >> "$stage/etc/fp-modules"
}

# The guest's /init: everything it does, it prints on the console.
write_init() {
    cat > "$stage/init" <<'EOF'
#!/bin/sh
# /init of the initramfs that utilities/fp-qemu-guest.sh builds.
/bin/busybox mkdir -p /proc /sys /dev /tmp
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys

say() {
    echo "FP-GUEST: $*"
}

# The interface's counters, as the guest's kernel sees them.
counters() {
    c=/sys/class/net/$ifc/statistics
    say "$ifc: rx $(cat $c/rx_packets) packets $(cat $c/rx_bytes) bytes" \
        "$(cat $c/rx_dropped) dropped, tx $(cat $c/tx_packets) packets" \
        "$(cat $c/tx_bytes) bytes $(cat $c/tx_dropped) dropped"
}

finish() {
    say "powering off"
    poweroff -f
    sleep 10
}

ip=; peer=; count=5; settle=30; wait=0
for word in $(cat /proc/cmdline); do
    case $word in
        fp.ip=*) ip=${word#fp.ip=} ;;
        fp.peer=*) peer=${word#fp.peer=} ;;
        fp.count=*) count=${word#fp.count=} ;;
        fp.settle=*) settle=${word#fp.settle=} ;;
        fp.wait=*) wait=${word#fp.wait=} ;;
        fp.mode=wait) wait=-1 ;;
    esac
done
say "up after $(cut -d' ' -f1 /proc/uptime) s, kernel $(uname -r)"

for m in $(cat /etc/fp-modules); do
    insmod /lib/modules/$m.ko || say "insmod $m failed"
done

ifc=
i=0
while [ -z "$ifc" ] && [ $i -lt 50 ]; do
    for n in /sys/class/net/*; do
        [ "${n##*/}" = lo ] || ifc=${n##*/}
    done
    [ -n "$ifc" ] || { sleep 0.2; i=$((i + 1)); }
done
if [ -z "$ifc" ]; then
    say "no network interface"
    say "ping failed"
    finish
fi

ip link set lo up
ip link set "$ifc" up
[ -z "$ip" ] || ip addr add "$ip" dev "$ifc"
i=0
while [ "$(cat /sys/class/net/$ifc/carrier 2>/dev/null)" != 1 ] \
      && [ $i -lt 50 ]; do
    sleep 0.2
    i=$((i + 1))
done
say "$ifc: mac $(cat /sys/class/net/$ifc/address)" \
    "carrier $(cat /sys/class/net/$ifc/carrier 2>/dev/null)" \
    "driver $(basename "$(readlink /sys/class/net/$ifc/device/driver)")" \
    "address ${ip:-none}"

if [ -z "$peer" ]; then
    say "no fp.peer: nothing to ping"
    say "ping failed"
    finish
fi

# The switch may attach the port a little after the guest's driver starts:
# wait for a first answer, then count.
start=$(cut -d. -f1 /proc/uptime)
until ping -c 1 -W 1 "$peer" >/dev/null 2>&1; do
    sleep 0.2
    if [ $(($(cut -d. -f1 /proc/uptime) - start)) -ge "$settle" ]; then
        break
    fi
done
say "first answer from $peer after $(($(cut -d. -f1 /proc/uptime) - start)) s"

ping -c "$count" -w $((count + 10)) "$peer" > /tmp/ping.out 2>&1 || true
cat /tmp/ping.out
received=$(sed -n 's/.* \([0-9]*\) packets received.*/\1/p' /tmp/ping.out)
counters
if [ "${received:-0}" -eq "$count" ]; then
    say "ping ok ($received of $count answered)"
else
    say "ping failed (${received:-0} of $count answered)"
fi

if [ "$wait" -lt 0 ]; then
    say "waiting"
    while :; do sleep 3600; done
elif [ "$wait" -gt 0 ]; then
    say "waiting $wait s"
    sleep "$wait"
    counters
fi
finish
EOF
    chmod 755 "$stage/init"
}

build_image() {
    need_root
    install_qemu
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    fetch_packages

    for moddir in "$dir/root/lib/modules/"*; do
        break
    done
    test -d "$moddir" || die "the kernel package has no /lib/modules"
    kver=${moddir##*/}
    cp "$dir/root/boot/vmlinuz-$kver" "$dir/vmlinuz"
    busybox=$dir/root/bin/busybox
    test -x "$busybox" || die "busybox-static has no /bin/busybox"

    stage=$dir/initramfs
    rm -rf "$stage"
    mkdir -p "$stage/bin" "$stage/dev" "$stage/etc" "$stage/lib/modules" \
             "$stage/proc" "$stage/sys" "$stage/tmp"
    cp "$busybox" "$stage/bin/busybox"
    ln -s busybox "$stage/bin/sh"
    # The console that the kernel opens before /init mounts /dev.
    mknod -m 600 "$stage/dev/console" c 5 1
    : > "$stage/etc/fp-modules"
    added=
    for m in $GUEST_MODULES; do
        add_module "$m"
    done
    write_init

    log "writing $dir/initramfs.img (kernel $kver)"
    (cd "$stage" && find . | sort | "$busybox" cpio -o -H newc 2>/dev/null) \
        | gzip -9 > "$dir/initramfs.img"
    log "modules, in load order:" \
        "$(tr '\n' ' ' < "$stage/etc/fp-modules" | sed 's/ $//')"
    log "done: $dir/vmlinuz and $dir/initramfs.img"
}

# The guest's MAC address: FP_MAC, or 52:54:00:fb:00 and the last byte of
# IP, so that guests with different addresses differ.
guest_mac() {
    if [ -n "$FP_MAC" ]; then
        echo "$FP_MAC"
        return
    fi
    last=${ip%%/*}
    last=${last##*.}
    printf '52:54:00:fb:00:%02x\n' "$last"
}

run_guest() {
    test -f "$dir/vmlinuz" -a -f "$dir/initramfs.img" \
        || die "no guest image in $dir: run \"$0 image $dir\" first"
    case $role in
        server)
            chardev="socket,id=c0,path=$sock,server=on,wait=off"
            ;;
        client)
            test -S "$sock" || die "$sock: no vhost-user socket there"
            chardev="socket,id=c0,path=$sock"
            ;;
        *)
            usage
            ;;
    esac
    timeout=${FP_TIMEOUT:-240}
    console=${FP_CONSOLE:-$dir/console-$$.log}
    append="console=ttyS0 panic=-1 fp.ip=$ip fp.peer=$peer"
    append="$append fp.count=${FP_PING_COUNT:-5} fp.settle=${FP_SETTLE:-30}"
    append="$append fp.wait=${FP_WAIT:-0}"
    nic="virtio-net-pci,netdev=n0,mac=$(guest_mac),vectors=0,romfile="

    # Shared guest memory (memfd) for the switch to map; no MSI-X
    # (vectors=0): Debian's QEMU 7.2 under TCG crashes with it on a
    # vhost-user virtio-net-pci; no option ROM (romfile=): no network boot.
    set -- qemu-system-x86_64 -accel tcg -nodefaults -no-user-config \
        -display none -no-reboot -smp 1 \
        -object memory-backend-memfd,id=mem,size=256M,share=on \
        -numa node,memdev=mem -m 256M \
        -chardev "$chardev" \
        -netdev vhost-user,id=n0,chardev=c0 \
        -device "$nic" \
        -kernel "$dir/vmlinuz" -initrd "$dir/initramfs.img" \
        -append "$append" \
        -serial stdio -monitor none
    log "$*"
    log "guest $ip pings $peer; vhost-user $role on $sock; timeout $timeout s"
    started=$(date +%s)
    { rc=0; timeout -k 5 "$timeout" "$@" < /dev/null || rc=$?
      echo $rc > "$console.rc"; } \
        2>&1 | tee "$console"
    rc=$(cat "$console.rc")
    rm -f "$console.rc"
    took=$(($(date +%s) - started))
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        log "QEMU timed out after $timeout s"
    fi
    if grep -q 'FP-GUEST: ping ok' "$console"; then
        log "ping ok: guest $ip pinged $peer (QEMU ran $took s, exit $rc)"
        exit 0
    fi
    log "ping failed (QEMU ran $took s, exit $rc); console in $console"
    exit 1
}

case $1 in
    image)
        test $# = 2 || usage
        dir=$2
        build_image
        ;;
    run)
        test $# = 6 || usage
        dir=$2 sock=$3 role=$4 ip=$5 peer=$6
        install_qemu
        run_guest
        ;;
    *)
        usage
        ;;
esac
