#! /bin/sh
# Usage: fp-python-env.sh OVS_SRCDIR
#
# OVS's configure picks the first python3 on PATH, which on our machines is
# not Debian's: Debian's Python packages (python3-scapy, python3-pyftpdlib)
# are for /usr/bin/python3.  When /usr/bin/python3 has scapy, this prints
# the shell assignments that make OVS's tests use it, with the settings of
# OVS's atlocal that depend on the interpreter made again for it: whether
# test-l7.py (in OVS_SRCDIR/tests) can serve FTP and TFTP.  Otherwise it
# prints nothing.  tests/atlocal.in evaluates the output; the
# check-system-userspace rule passes it to OVS's testsuite.

test -x /usr/bin/python3 || exit 0
/usr/bin/python3 -c 'import scapy' >/dev/null 2>&1 || exit 0

protocols=$(/usr/bin/python3 "$1/tests/test-l7.py" --help 2>/dev/null)
printf 'PYTHON3=/usr/bin/python3'
for proto in ftp tftp; do
    var=HAVE_$(echo $proto | tr a-z A-Z)
    case $protocols in
        *"'$proto'"*) printf ' %s=yes' $var ;;
        *) printf ' %s=no' $var ;;
    esac
done
echo
