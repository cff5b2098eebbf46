#! /bin/sh
# Usage: fp-soak.sh [SECONDS]
#
# Soak: all of the churn of the reliability tests at once, under traffic,
# for SECONDS (default 600), then a comparison of the switch's memory at
# the start and at the end: nothing may grow.  Not part of "make check";
# "make soak" runs it (SOAK_SECONDS).  Run as root after a build; it
# reserves hugepages and runs the switch, with DPDK file prefix fp-soak, in
# a network namespace of its own (FP_SOAK_NETNS=0: in the current one), so
# that the datapath's tap devices cannot clash with a test suite's.
#
# Bridge br0 (datapath_type=fastpath, other_config:flow-limit=2000) and
# its traffic, which runs throughout:
#
#   est (OpenFlow port 1)    net_pcap, infinite_rx, 4 UDP flows, forwarded
#                            to sink-a (3) and to the churned port pc (8)
#   flood (2)                net_pcap, infinite_rx, 20,000 UDP flows: the
#                            first 10,000 have a rule each (to sink-b (4)
#                            or sink-c (5)), the others a multipath rule
#                            that makes each a megaflow (to sink-b)
#   vm1 (6) -> vm2 (7)       fastpath-vhost ports, with two guest
#                            stand-ins (utilities/fp-guest): g1 sends 10,000
#                            frames a second of 16 flows, g2 counts them
#                            (FP_SOAK_GUESTS=0: no guests)
#
# Churn, four loops at once, each repeating its round until the end:
#
#   ports   port pc (net_null) comes with 2 rx queues, gets MTU 2000, 1 rx
#           queue and 1024 descriptors, MTU 1500, 2 rx queues and 2048
#           descriptors, and goes
#   pmd     other_config:pmd-cpu-mask 0x1, 0x3, 0x2, 3 s each, with the
#           PMD threads checked against the mask
#   flows   ovs-ofctl --bundle replace-flows of the 10,000 rules to sink-c,
#           then back to sink-b
#   purge   dpctl/del-flows, then revalidator/purge, 3 s apart
#
# The loops first run for a warm-up of FP_SOAK_WARMUP seconds (default 45)
# and stop; the switch settles (no retired mempool, then 5 s) and the start
# figures are taken, with the traffic still flowing.  Then the loops run
# for SECONDS, stop, the switch settles again and the end figures are
# taken.  Both are taken in the same state: no port pc, pmd-cpu-mask 0x2,
# the rules to sink-b.  The end figures must stay within these limits:
#
#   VmRSS, VmHWM       start + 20% of the start's VmRSS, or + 32 MB if
#                      more (under churn, RSS swings by some 50 MB: 10,000
#                      rules replaced at once, revalidator dumps; and
#                      malloc keeps part of it, so RSS at rest differs by
#                      up to 30 MB from one moment to the next)
#   HugetlbPages       start + 0 (DPDK memory: mempools and the rest)
#   mempools           as many, as many mbufs, none retired; mbufs in use
#                      (least of 5 samples) at most start + 96 per rx queue
#                      (a burst of 32 and a miss queue of 64 in flight)
#   datapath flows     the start's or the flow limit, whichever is more,
#   and udpif keys     + 25% + 500 (median of 5 samples; the flood keeps
#                      the count going up and down between about half the
#                      limit and the limit)
#   rules, ports       as many (ovs-appctl memory/show)
#
# The soak also fails if ovs-vswitchd dies, if sink-a (or g2) receives
# nothing for 5 seconds at any time, if sink-a does not get back to a
# quarter of the rate it had before the churn within 30 s of its end, if
# a churn command fails or hangs (30 s timeouts), or if ovs-vswitchd.log
# has ERR or EMER lines or RCU stalls ("blocked N ms waiting for THREAD
# to quiesce"), which it lists.  Everything is left in the run directory
# ($builddir/soak): samples.txt has RSS, flows and the sink's counter
# every 5 s; the table shows the least RSS of the soak's first and last
# minutes, for the trend.

seconds=${1:-600}
case $seconds in
    ""|*[!0-9]*) echo "usage: $0 [SECONDS]" >&2; exit 2 ;;
esac
srcdir=$(cd "$(dirname "$0")/.." && pwd)

if [ "${FP_SOAK_NETNS:-1}" = 1 ] && [ -z "$FP_SOAK_IN_NETNS" ]; then
    FP_SOAK_IN_NETNS=1 exec unshare --net /bin/sh "$0" "$@"
fi

builddir=${FP_BUILDDIR:-$srcdir/_build}
rundir=$builddir/soak
ovs=$(sed -n 's/^OVS_BUILDDIR = //p' "$builddir/Makefile")
guest=$builddir/utilities/fp-guest
warmup=${FP_SOAK_WARMUP:-45}
guests=${FP_SOAK_GUESTS:-1}
flow_limit=2000
timeout=30

PATH=$ovs/utilities:$ovs/ovsdb:$PATH
export OVS_RUNDIR=$rundir OVS_LOGDIR=$rundir OVS_DBDIR=$rundir
. "$srcdir/utilities/fp-bench-lib.sh"

log() {
    echo "fp-soak: $(date +%T) $*" >&2
}

vsctl() {
    ovs-vsctl --timeout=$timeout "$@"
}

ofctl() {
    ovs-ofctl --timeout=$timeout "$@"
}

appctl() {
    ovs-appctl --timeout=$timeout "$@"
}

# The failures found so far, one a line.
failures=$rundir/failures

fail() {
    log "FAIL: $*"
    echo "$*" >> "$failures"
}

# The ERR and EMER lines of the logs.
log_errors() {
    grep -E '\|(ERR|EMER)\|' "$rundir/ovs-vswitchd.log" \
        "$rundir/ovsdb-server.log" | sed "s|^$rundir/||"
}

# Fails the whole run at once (setup problems, a dead switch).
die() {
    fail "$*"
    log_errors | tail -n 20 >&2
    exit 1
}

cleanup() {
    touch "$rundir/stop" 2>/dev/null
    for pid in $loop_pids $guest_pids; do
        kill "$pid" 2>/dev/null
    done
    for pid in $loop_pids $guest_pids; do
        wait "$pid" 2>/dev/null
    done
    vswitchd=$(cat "$rundir/ovs-vswitchd.pid" 2>/dev/null)
    bench_stop_switch
    # ovs-vswitchd gives DPDK's memory back on its way out: wait for it.
    if [ -n "$vswitchd" ]; then
        for _ in $(seq 300); do
            kill -0 "$vswitchd" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$vswitchd" 2>/dev/null
    fi
    rm -rf /var/run/dpdk/fp-soak /var/run/dpdk/fp-soak-g1 \
        /var/run/dpdk/fp-soak-g2
}

# vswitchd_alive: whether the ovs-vswitchd that started is still there.
vswitchd_alive() {
    kill -0 "$vswitchd_pid" 2>/dev/null
}

# The frames that OpenFlow port 3 (sink-a) has sent, read from the device.
sink_tx() {
    ofctl dump-ports br0 3 | sed -n 's/.*tx pkts=\([0-9]*\).*/\1/p'
}

# guest_stat NAME COUNTER: a guest stand-in's counter (0 before its first
# stats).
guest_stat() {
    (sed -n "s/^$2 //p" "$rundir/$1.stats" 2>/dev/null; echo 0) | head -n 1
}

# status_kb FIELD: FIELD of /proc/PID/status of ovs-vswitchd, in kB.
status_kb() {
    awk -v f="$1:" '$1 == f { print $2; found = 1 }
                    END { if (!found) print 0 }' "/proc/$vswitchd_pid/status"
}

# iface_ok PORT: PORT has no error.
iface_ok() {
    err=$(vsctl get Interface "$1" error) || return 1
    [ "$err" = "[]" ] || { echo "$1: $err"; return 1; }
}

# One round of each churn loop; each returns nonzero on a failure, with
# what failed on stdout or stderr (the loop's log).
churn_ports() {
    vsctl add-port br0 pc -- set Interface pc type=fastpath \
            options:devargs=net_null9,no-rx=1 options:n_rxq=2 \
            ofport_request=8 \
        && iface_ok pc && sleep 1 \
        && vsctl set Interface pc mtu_request=2000 \
        && iface_ok pc && sleep 1 \
        && vsctl set Interface pc options:n_rxq=1 options:n_rxq_desc=1024 \
               options:n_txq_desc=1024 \
        && iface_ok pc && sleep 1 \
        && vsctl set Interface pc mtu_request=1500 options:n_rxq=2 \
               options:n_rxq_desc=2048 options:n_txq_desc=2048 \
        && iface_ok pc && sleep 1 \
        && vsctl del-port br0 pc && sleep 1
}

churn_pmd() {
    for mask in 0x1 0x3 0x2; do
        case $mask in
            0x1) want=0 ;;
            0x3) want="0 1" ;;
            0x2) want=1 ;;
        esac
        vsctl set Open_vSwitch . other_config:pmd-cpu-mask=$mask || return 1
        cores=$(appctl fastpath/pmd-rxq-show \
                | sed -n 's/.* pmd thread .* core_id \([0-9]*\):$/\1/p' \
                | sort -n | tr '\n' ' ')
        if [ "$cores" != "$want " ]; then
            echo "pmd-cpu-mask=$mask: PMD threads on cores ${cores:-none}"
            return 1
        fi
        sleep 3
    done
}

churn_flows() {
    ofctl --bundle replace-flows br0 "$rundir/flows-c.txt" && sleep 4 \
        && ofctl --bundle replace-flows br0 "$rundir/flows-b.txt" && sleep 4
}

churn_purge() {
    appctl dpctl/del-flows && sleep 3 \
        && appctl revalidator/purge && sleep 3
}

# run_loop NAME: repeats churn_NAME until the file "stop" exists, counting
# its rounds and failures in NAME.rounds and NAME.failures, and keeping the
# longest round's seconds in NAME.longest.
run_loop() {
    rounds=$(cat "$rundir/$1.rounds" 2>/dev/null || echo 0)
    failed=$(cat "$rundir/$1.failures" 2>/dev/null || echo 0)
    longest=$(cat "$rundir/$1.longest" 2>/dev/null || echo 0)
    while [ ! -e "$rundir/stop" ]; do
        t0=$(date +%s)
        churn_$1 >> "$rundir/$1.log" 2>&1
        ok=$?
        t=$(($(date +%s) - t0))
        if [ $t -gt "$longest" ]; then
            longest=$t
            echo $longest > "$rundir/$1.longest"
            echo "$(date +%T): a round of $t s" >> "$rundir/$1.log"
        fi
        if [ $ok = 0 ]; then
            rounds=$((rounds + 1))
            echo $rounds > "$rundir/$1.rounds"
        else
            failed=$((failed + 1))
            echo $failed > "$rundir/$1.failures"
            echo "$(date +%T): round $((rounds + failed)) failed" \
                >> "$rundir/$1.log"
            if [ $1 = ports ]; then
                vsctl --if-exists del-port br0 pc >> "$rundir/$1.log" 2>&1
            fi
            sleep 1
        fi
    done
}

# churn PHASE SECONDS: runs the four loops for SECONDS, checking every 5 s
# that the switch lives and forwards and noting its memory in samples.txt
# (a line per check: PHASE, seconds since the phase began, time, figures);
# then stops them and puts the switch back in the state in which the
# figures are taken.
churn() {
    rm -f "$rundir/stop"
    loop_pids=
    for name in ports pmd flows purge; do
        run_loop $name &
        loop_pids="$loop_pids $!"
    done
    begin=$(date +%s)
    now=$begin
    tx=$(sink_tx) rx=$(guest_stat g2 rx_packets)
    while [ $now -lt $((begin + $2)) ]; do
        sleep 5
        if ! vswitchd_alive; then
            fail "ovs-vswitchd died"
            break
        fi
        prev=$now tx0=$tx rx0=$rx
        now=$(date +%s)
        tx=$(sink_tx) rx=$(guest_stat g2 rx_packets)
        span="between $(date -d @$prev +%T) and $(date -d @$now +%T)"
        if [ -z "$tx" ] || [ "$tx" = "$tx0" ]; then
            fail "sink-a received nothing $span"
        fi
        if [ "$guests" = 1 ]; then
            [ "$rx" != "$rx0" ] || fail "g2 received nothing $span"
            for g in $guest_pids; do
                kill -0 $g 2>/dev/null || fail "guest stand-in $g died"
            done
        fi
        flows=$(appctl dpctl/dump-flows | wc -l)
        echo "$1 $((now - begin)) $(date -d @$now +%T)" \
             "rss_kb $(status_kb VmRSS) hwm_kb $(status_kb VmHWM)" \
             "hugetlb_kb $(status_kb HugetlbPages) dp_flows $flows" \
             "sink_a_tx $tx g2_rx $rx" >> "$rundir/samples.txt"
    done
    touch "$rundir/stop"
    for pid in $loop_pids; do
        wait $pid
    done
    loop_pids=
    vswitchd_alive || die "ovs-vswitchd died (see $rundir/ovs-vswitchd.log)"
    vsctl --if-exists del-port br0 pc \
        -- set Open_vSwitch . other_config:pmd-cpu-mask=0x2 \
        || fail "cannot set the switch back after the churn"
    ofctl --bundle replace-flows br0 "$rundir/flows-b.txt" \
        || fail "cannot set the rules back after the churn"
}

# sink_pps: what sink-a sends a second, over 2 s.
sink_pps() {
    a=$(sink_tx)
    sleep 2
    b=$(sink_tx)
    echo $(((b - a) / 2))
}

# settle TAG: waits for retired mempools to be freed (30 s at most) and
# for sink-a to forward at least a quarter as fast as before the churn
# (30 s at most: a failure, with what the datapath had then in
# TAG-slow.txt); then 5 s more.
settle() {
    for _ in $(seq 30); do
        appctl fastpath/mempool-show | grep -q '^retired' || break
        sleep 1
    done
    t0=$(date +%s)
    while pps=$(sink_pps) && [ "$pps" -lt $((baseline_pps / 4)) ]; do
        if [ $(($(date +%s) - t0)) -ge 30 ]; then
            fail "after the $1 churn, sink-a forwarded only $pps" \
                 "packets/s for 30 s, against $baseline_pps before the" \
                 "churn (see $rundir/$1-slow.txt)"
            {
                echo "datapath flows by input port:"
                appctl dpctl/dump-flows | grep -o 'in_port([0-9]*)' \
                    | sort | uniq -c
                appctl upcall/show
                echo "upcall_flow_limit_hit:" \
                     "$(appctl coverage/read-counter upcall_flow_limit_hit)"
                appctl fastpath/pmd-stats-show
            } > "$rundir/$1-slow.txt" 2>&1
            break
        fi
    done
    echo "$1 $(($(date +%s) - t0))" >> "$rundir/recovery.txt"
    sleep 5
}

# median: the median of the numbers on stdin.
median() {
    sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] + 0 }'
}

# figures TAG: the figures of now, in TAG.txt, a "name value" line each.
# Mempools and flows are sampled 5 times, 1 s apart, while the PMDs'
# counters, cleared first, count 5 s of traffic.
figures() {
    out=$rundir/$1.txt
    : > "$out"
    : > "$rundir/$1.samples"
    appctl fastpath/pmd-stats-clear > /dev/null
    tx0=$(sink_tx) rx0=$(guest_stat g2 rx_packets) t0=$(date +%s.%N)
    for _ in 1 2 3 4 5; do
        sleep 1
        appctl fastpath/mempool-show > "$rundir/$1.mempools"
        awk '$1 != "retired" { n++ } END { print "pools", n + 0 }' \
            "$rundir/$1.mempools" >> "$rundir/$1.samples"
        grep -c '^retired' "$rundir/$1.mempools" \
            | sed 's/^/retired /' >> "$rundir/$1.samples"
        sed -n 's/.*, \([0-9]*\) mbufs, \([0-9]*\) in use,.*/\1 \2/p' \
            "$rundir/$1.mempools" \
            | awk '{ s += $1; u += $2 } END { print "mbufs", s + 0;
                                              print "in_use", u + 0 }' \
            >> "$rundir/$1.samples"
        appctl dpctl/dump-flows | wc -l | sed 's/^/dp_flows /' \
            >> "$rundir/$1.samples"
        appctl upcall/show | awk '
            { while (match($0, /\(keys [0-9]+\)/)) {
                  k += substr($0, RSTART + 6, RLENGTH - 7)
                  $0 = substr($0, RSTART + RLENGTH) } }
            END { print "ukeys", k + 0 }' >> "$rundir/$1.samples"
    done
    tx1=$(sink_tx) rx1=$(guest_stat g2 rx_packets) t1=$(date +%s.%N)
    appctl fastpath/pmd-stats-show > "$rundir/$1.pmd-stats"
    appctl fastpath/pmd-rxq-show > "$rundir/$1.pmd-rxq"
    appctl memory/show > "$rundir/$1.memory"
    appctl upcall/show > "$rundir/$1.upcall"

    echo "rss_kb $(status_kb VmRSS)" >> "$out"
    echo "hwm_kb $(status_kb VmHWM)" >> "$out"
    echo "hugetlb_kb $(status_kb HugetlbPages)" >> "$out"
    for key in pools mbufs; do
        awk -v k=$key '$1 == k { v = $2 } END { print k, v + 0 }' \
            "$rundir/$1.samples" >> "$out"
    done
    awk '$1 == "retired" { v = $2 } END { print "retired", v + 0 }' \
        "$rundir/$1.samples" >> "$out"
    awk '$1 == "in_use" && (!n++ || $2 < m) { m = $2 }
         END { print "in_use", m + 0 }' "$rundir/$1.samples" >> "$out"
    echo "rxqs $(grep -c '^  port: ' "$rundir/$1.pmd-rxq")" >> "$out"
    for key in dp_flows ukeys; do
        echo "$key $(awk -v k=$key '$1 == k { print $2 }' \
                     "$rundir/$1.samples" | median)" >> "$out"
    done
    # memory/show: "handlers:1 ... rules:10004 udpif keys:2010".
    sed 's/udpif keys/udpif_keys/' "$rundir/$1.memory" | tr ' ' '\n' \
        | sed -n 's/^\([a-zA-Z_-]*\):\([0-9]*\)$/mem_\1 \2/p' >> "$out"
    sed -n 's/^  packets received: //p' "$rundir/$1.pmd-stats" \
        | awk '{ n += $1 } END { print "pmd_rx", n + 0 }' >> "$out"
    sed -n 's/^  packets sent: //p' "$rundir/$1.pmd-stats" \
        | awk '{ n += $1 } END { print "pmd_tx", n + 0 }' >> "$out"
    sed -n 's/^  avg processing cycles per packet: \([0-9.]*\) .*/\1/p' \
        "$rundir/$1.pmd-stats" | head -n 1 | sed 's/^/pmd_cpp /' >> "$out"
    awk -v a="$tx0" -v b="$tx1" -v c="$rx0" -v d="$rx1" -v s="$t0" \
        -v e="$t1" 'BEGIN { t = e - s; print "sink_pps", int((b - a) / t);
                            print "g2_pps", int((d - c) / t);
                            print "secs", t }' >> "$out"
}

# get TAG NAME: figure NAME of TAG.txt.
get() {
    awk -v k="$2" '$1 == k { print $2; exit }' "$rundir/$1.txt"
}

# line LABEL START END LIMIT VERDICT: a line of the table.
line() {
    printf '%-34s %12s %12s %12s  %s\n' "$@"
}

# row NAME LABEL LIMIT: the line of figure NAME, with the most it may be at
# the end (LIMIT, or "-" for none); a value over its limit is a failure.
row() {
    a=$(get start $1) b=$(get end $1)
    verdict=
    if [ -z "$a" ] || [ -z "$b" ] || [ -z "$3" ]; then
        verdict=MISSING
        fail "$2: figure missing"
    elif [ "$3" != - ]; then
        if [ "$b" -le "$3" ]; then
            verdict=ok
        else
            verdict=GREW
            fail "$2 grew: $a at the start, $b at the end, limit $3"
        fi
    fi
    line "$2" "$a" "$b" "$3" "$verdict"
}

# nonzero NAME LABEL: the line of a figure that must not be 0.
nonzero() {
    a=$(get start $1) b=$(get end $1)
    verdict=ok
    if [ "${a:-0}" -le 0 ] || [ "${b:-0}" -le 0 ]; then
        verdict=FAIL
        fail "$2: no traffic ($a at the start, $b at the end)"
    fi
    line "$2" "$a" "$b" "> 0" "$verdict"
}

# least_rss FROM TO: the least VmRSS of the soak's samples taken FROM to TO
# seconds into it.
least_rss() {
    awk -v f=$1 -v t=$2 '$1 == "soak" && $2 >= f && $2 <= t \
                         && (!n++ || $5 < m) { m = $5 }
                         END { print m + 0 }' "$rundir/samples.txt"
}

trap cleanup EXIT
trap 'exit 1' INT TERM HUP
loop_pids='' guest_pids=''
cleanup
rm -rf "$rundir"
mkdir -p "$rundir"
: > "$failures"
bench_reserve_hugepages 768
bench_start_switch fp-soak 0x2
vswitchd_pid=$(cat "$rundir/ovs-vswitchd.pid") \
    || die "ovs-vswitchd did not start"
log "ovs-vswitchd $vswitchd_pid, run directory $rundir"

python3 "$srcdir/tests/fp-pcap.py" flows "$rundir/est.pcap" 4
python3 "$srcdir/tests/fp-pcap.py" flows "$rundir/flood.pcap" 20000
for out in b c; do
    case $out in
        b) port=4 ;;
        c) port=5 ;;
    esac
    {
        echo "priority=100,in_port=1,actions=output:3,output:8"
        echo "priority=100,in_port=6,actions=output:7"
        echo "priority=10,in_port=2,actions=multipath(symmetric_l3l4+udp,0,\
modulo_n,2,0,NXM_NX_REG0[]),output:4"
        awk -v p=$port 'BEGIN {
            for (i = 0; i < 10000; i++)
                print "priority=50,in_port=2,udp,tp_src=" 10000 + i \
                      ",actions=output:" p }'
    } > "$rundir/flows-$out.txt"
done

# The flood's 20,000 frames fill its rx queue from the mempool at once.
vsctl set Open_vSwitch . other_config:fastpath-mempool-mbufs=32768 \
        other_config:flow-limit=$flow_limit \
    -- add-br br0 -- set bridge br0 datapath_type=fastpath fail-mode=secure \
    || die "cannot create br0"
ofctl add-flows br0 "$rundir/flows-b.txt" || die "cannot add the rules"
vsctl add-port br0 sink-a -- set Interface sink-a type=fastpath \
        options:devargs=net_null0,no-rx=1 ofport_request=3 \
    -- add-port br0 sink-b -- set Interface sink-b type=fastpath \
        options:devargs=net_null1,no-rx=1 ofport_request=4 \
    -- add-port br0 sink-c -- set Interface sink-c type=fastpath \
        options:devargs=net_null2,no-rx=1 ofport_request=5 \
    -- add-port br0 vm1 -- set Interface vm1 type=fastpath-vhost \
        ofport_request=6 \
    -- add-port br0 vm2 -- set Interface vm2 type=fastpath-vhost \
        ofport_request=7 \
    -- add-port br0 est -- set Interface est type=fastpath ofport_request=1 \
        "options:devargs=net_pcap0,rx_pcap=$rundir/est.pcap,infinite_rx=1" \
    -- add-port br0 flood -- set Interface flood type=fastpath \
        ofport_request=2 \
        "options:devargs=net_pcap1,rx_pcap=$rundir/flood.pcap,infinite_rx=1" \
    || die "cannot add the ports"
for port in sink-a sink-b sink-c vm1 vm2 est flood; do
    iface_ok $port >&2 || die "port $port has an error"
done

if [ "$guests" = 1 ]; then
    for g in g1 g2; do
        case $g in
            g1) opts="--socket $rundir/vm1 --flows 16 --rate 10000
                      --send-count 1000000000000 --wait-link" ;;
            g2) opts="--socket $rundir/vm2" ;;
        esac
        "$guest" --no-huge -m 64 --file-prefix=fp-soak-$g --no-pci \
            --no-telemetry -l 0 --log-level=error -- \
            --stats "$rundir/$g.stats" --idle-sleep 20 --queue-size 1024 \
            --connect-timeout 30 --duration $((seconds + warmup + 3600)) \
            $opts > "$rundir/$g.out" 2> "$rundir/$g.err" &
        guest_pids="$guest_pids $!"
        [ $g = g1 ] && g1_pid=$!
    done
    for port in vm1 vm2; do
        for _ in $(seq 300); do
            [ "$(vsctl get Interface $port link_state)" = up ] && break
            sleep 0.1
        done
        [ "$(vsctl get Interface $port link_state)" = up ] \
            || die "no guest on $port (see $rundir/g1.err, g2.err)"
    done
fi

sleep 3
baseline_pps=$(sink_pps)
[ "$baseline_pps" -gt 0 ] || die "sink-a receives nothing"
log "sink-a forwards $baseline_pps packets/s before the churn"
if [ "$guests" = 1 ]; then
    [ "$(guest_stat g2 rx_packets)" -gt 0 ] || die "g2 receives nothing"
fi

log "warm-up: $warmup s of churn"
churn warm-up "$warmup"
settle warm-up
figures start
log "start figures taken; churn for $seconds s"
churn soak "$seconds"
settle soak
vswitchd_alive || die "ovs-vswitchd died (see $rundir/ovs-vswitchd.log)"
figures end
log "end figures taken"

# The limits (see the top of this file).
rss=$(get start rss_kb)
rss_tol=$((rss / 5))
[ $rss_tol -ge 32768 ] || rss_tol=32768
in_use_tol=$((96 * $(get end rxqs)))
flows_limit() {
    v=$(get start $1)
    [ "$v" -ge $flow_limit ] || v=$flow_limit
    echo $((v + v / 4 + 500))
}

echo
line "" start end limit ""
row rss_kb "ovs-vswitchd VmRSS (kB)" "$((rss + rss_tol))"
row hwm_kb "ovs-vswitchd VmHWM (kB)" "$(($(get start hwm_kb) + rss_tol))"
line "  least VmRSS 1st/last minute (kB)" "$(least_rss 0 60)" \
    "$(least_rss $((seconds - 60)) "$seconds")" - ""
row hugetlb_kb "ovs-vswitchd HugetlbPages (kB)" "$(get start hugetlb_kb)"
row pools "mempools" "$(get start pools)"
row retired "retired mempools" 0
row mbufs "mbufs in mempools" "$(get start mbufs)"
row in_use "mbufs in use (least of 5)" "$(($(get start in_use) + in_use_tol))"
row rxqs "rx queues polled" "$(get start rxqs)"
row dp_flows "datapath flows (median of 5)" "$(flows_limit dp_flows)"
row ukeys "udpif keys (median of 5)" "$(flows_limit ukeys)"
for key in $(sed -n 's/^\(mem_[^ ]*\) .*/\1/p' "$rundir/start.txt"); do
    case $key in
        mem_rules|mem_ports|mem_ofconns|mem_handlers|mem_revalidators)
            row $key "memory/show ${key#mem_}" "$(get start $key)" ;;
        *)
            row $key "memory/show ${key#mem_}" - ;;
    esac
done
nonzero sink_pps "sink-a packets/s (5 s)"
[ "$guests" = 1 ] && nonzero g2_pps "g2 packets/s (5 s)"
nonzero pmd_rx "PMD packets received (5 s)"
row pmd_tx "PMD packets sent (5 s)" -
row pmd_cpp "PMD cycles per packet (5 s)" -

echo
printf 'churn rounds (warm-up %s s and soak %s s):\n' "$warmup" "$seconds"
for name in ports pmd flows purge; do
    n=$(cat "$rundir/$name.rounds" 2>/dev/null || echo 0)
    f=$(cat "$rundir/$name.failures" 2>/dev/null || echo 0)
    t=$(cat "$rundir/$name.longest" 2>/dev/null || echo 0)
    printf '  %-6s %6d rounds, %d failed, the longest %d s\n' \
        $name "$n" "$f" "$t"
    if [ "$f" -gt 0 ]; then
        fail "$f round(s) of the $name loop failed (see $rundir/$name.log)"
        grep -v '^$' "$rundir/$name.log" | tail -n 5 | sed 's/^/    /'
    fi
done
if [ "$guests" = 1 ]; then
    # g1 stops first, so that the counters add up.
    kill -TERM $g1_pid
    wait $g1_pid
    sleep 1
    ofctl dump-ports br0 6 > "$rundir/vm1.ports"
    ofctl dump-ports br0 7 > "$rundir/vm2.ports"
    vm1_rx=$(sed -n 's/.*rx pkts=\([0-9]*\),.*/\1/p' "$rundir/vm1.ports")
    vm2_tx=$(sed -n 's/.*tx pkts=\([0-9]*\),.*/\1/p' "$rundir/vm2.ports")
    vm2_drop=$(sed -n 's/.*tx pkts=[0-9]*, [^,]*, drop=\([0-9]*\),.*/\1/p' \
               "$rundir/vm2.ports")
    echo "guests: g1 sent $(guest_stat g1 tx_packets), vm1 received $vm1_rx," \
         "vm2 sent $vm2_tx and dropped $vm2_drop, g2 received" \
         "$(guest_stat g2 rx_packets)"
fi
awk '{ printf "%s", (NR > 1 ? ", " : "sink-a at 1/4 of its rate or more: ") \
        $2 " s after the " $1 " churn" } END { print "" }' \
    "$rundir/recovery.txt"
appctl coverage/show > "$rundir/coverage.txt"
echo "fastpath coverage counters, totals (drops, refused misses, errors):"
awk '$1 ~ /^fp_/ && $NF > 0 { printf "  %-24s %s\n", $1, $NF }' \
    "$rundir/coverage.txt"

errors=$(log_errors)
if [ -n "$errors" ]; then
    fail "the logs have $(echo "$errors" | wc -l) ERR or EMER line(s)"
    echo "$errors" | head -n 50
fi
# A thread that does not quiesce holds up every RCU free of the process.
stalls=$(grep 'ovs_rcu.*|WARN|blocked [0-9]* ms waiting for' \
             "$rundir/ovs-vswitchd.log")
if [ -n "$stalls" ]; then
    fail "ovs-vswitchd.log has $(echo "$stalls" | wc -l) RCU stall(s):" \
         "a thread did not quiesce for up to $(echo "$stalls" \
         | sed 's/.*blocked \([0-9]*\) ms.*/\1/' | sort -n | tail -n 1) ms"
    echo "$stalls" | head -n 20
fi
echo "warnings in ovs-vswitchd.log (count, module: message, numbers as N):"
sed -n 's/^[^|]*|[^|]*|\([^|(]*\)[^|]*|WARN|/\1: /p' \
        "$rundir/ovs-vswitchd.log" \
    | sed 's/ufid:.*/ufid:.../; s/[0-9][0-9]*/N/g' | cut -c1-100 \
    | sort | uniq -c | sort -rn | sed 's/^/  /'

echo
if [ -s "$failures" ]; then
    echo "fp-soak: FAILED:"
    sed 's/^/  /' "$failures"
    exit 1
fi
echo "fp-soak: passed: nothing grew"
