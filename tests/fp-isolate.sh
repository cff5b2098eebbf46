#! /bin/sh
# Usage: fp-isolate.sh COMMAND [ARG...]
#
# Runs COMMAND in a network namespace and a mount namespace of its own, with
# a private /run/netns, so that the tap devices and the named network
# namespaces that tests create never meet those of another run.  Needs root.
# COMMAND finds FP_ISOLATED=yes in its environment.
exec unshare --mount --net -- sh -c '
    mount --make-rprivate / &&
    mkdir -p /run/netns &&
    mount -t tmpfs fp-test-netns /run/netns &&
    ip link set lo up &&
    FP_ISOLATED=yes && export FP_ISOLATED &&
    exec "$@"' sh "$@"
