# Configure checks for the Open vSwitch tree and DPDK that OVS Fastpath
# builds against.
#
# Licensed under the Apache License, Version 2.0.

# FP_OVS_MAKE_VAR(NAME)
#
# Prints the value that the Open vSwitch build tree's generated Makefile
# gives to the variable NAME (values substituted by configure only).
AC_DEFUN([FP_OVS_MAKE_VAR],
  [$SED -n "s/^$1 = //p" "$OVS_BUILDDIR/Makefile" | head -n 1])

# FP_CHECK_OVS
#
# Finds the Open vSwitch source and build trees (--with-ovs-source,
# --with-ovs-build).  Without them, unpacks the OVS source that Debian's
# openvswitch-source package ships into ovs/ in the build tree and
# configures it with DPDK; "make" then builds it.  Stops with a clear
# message when the tree is missing, unconfigured or built without DPDK.
AC_DEFUN([FP_CHECK_OVS], [
  AC_ARG_WITH([ovs-source],
    [AS_HELP_STRING([--with-ovs-source=DIR],
      [Open vSwitch source tree (default: unpack Debian's openvswitch-source
       into the build tree, then configure and build it with DPDK)])],
    [], [with_ovs_source=])
  AC_ARG_WITH([ovs-build],
    [AS_HELP_STRING([--with-ovs-build=DIR],
      [Open vSwitch build tree, if it differs from the source tree])],
    [], [with_ovs_build=])
  AC_ARG_WITH([ovs-tarball],
    [AS_HELP_STRING([--with-ovs-tarball=FILE],
      [OVS source tarball used without --with-ovs-source
       (default: /usr/src/openvswitch/openvswitch.tar.gz)])],
    [], [with_ovs_tarball=/usr/src/openvswitch/openvswitch.tar.gz])

  fp_bundled_ovs=no
  if test -z "$with_ovs_source"; then
    if test -n "$with_ovs_build"; then
      AC_MSG_ERROR([--with-ovs-build requires --with-ovs-source])
    fi
    fp_bundled_ovs=yes
    OVS_SRCDIR=$ac_pwd/ovs
    OVS_BUILDDIR=$OVS_SRCDIR
    if test ! -f "$OVS_SRCDIR/configure"; then
      if test ! -f "$with_ovs_tarball"; then
        AC_MSG_ERROR([no Open vSwitch source: $with_ovs_tarball does not exist.
Install Debian's openvswitch-source package, or pass --with-ovs-source=DIR.])
      fi
      AC_MSG_NOTICE([unpacking $with_ovs_tarball into ovs/])
      rm -rf ovs.tmp && mkdir ovs.tmp &&
        tar xzf "$with_ovs_tarball" -C ovs.tmp --strip-components=1 &&
        mv ovs.tmp "$OVS_SRCDIR" ||
        AC_MSG_ERROR([could not unpack $with_ovs_tarball])
    fi
    if test ! -f "$OVS_BUILDDIR/config.h" || \
       test ! -f "$OVS_BUILDDIR/Makefile"; then
      AC_MSG_NOTICE([configuring Open vSwitch in ovs/ with DPDK])
      fp_ovs_prefix=$prefix
      test "x$fp_ovs_prefix" = xNONE && fp_ovs_prefix=$ac_default_prefix
      (cd "$OVS_BUILDDIR" && \
       ./configure --with-dpdk=shared --prefix="$fp_ovs_prefix" \
                   --sysconfdir="$sysconfdir" \
                   --localstatedir="$localstatedir") ||
        AC_MSG_ERROR([configuring Open vSwitch failed; see ovs/config.log])
    fi
  else
    OVS_SRCDIR=`cd "$with_ovs_source" 2>/dev/null && pwd` ||
      AC_MSG_ERROR([--with-ovs-source: $with_ovs_source: no such directory])
    if test -n "$with_ovs_build"; then
      OVS_BUILDDIR=`cd "$with_ovs_build" 2>/dev/null && pwd` ||
        AC_MSG_ERROR([--with-ovs-build: $with_ovs_build: no such directory])
    else
      OVS_BUILDDIR=$OVS_SRCDIR
    fi
  fi

  AC_MSG_CHECKING([for the Open vSwitch source tree])
  if test ! -f "$OVS_SRCDIR/lib/dpif-provider.h" || \
     test ! -f "$OVS_SRCDIR/vswitchd/bridge.c"; then
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([$OVS_SRCDIR is not an Open vSwitch source tree
(lib/dpif-provider.h and vswitchd/bridge.c are missing)])
  fi
  AC_MSG_RESULT([$OVS_SRCDIR])

  AC_MSG_CHECKING([whether Open vSwitch is configured])
  if test ! -f "$OVS_BUILDDIR/config.h" || \
     test ! -f "$OVS_BUILDDIR/Makefile"; then
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([Open vSwitch in $OVS_BUILDDIR is not configured: run its
configure with --with-dpdk=shared (and build it) first])
  fi
  AC_MSG_RESULT([yes, in $OVS_BUILDDIR])

  AC_MSG_CHECKING([whether Open vSwitch is configured with DPDK])
  if grep '^#define DPDK_NETDEV 1' "$OVS_BUILDDIR/config.h" >/dev/null; then
    AC_MSG_RESULT([yes])
  else
    AC_MSG_RESULT([no])
    AC_MSG_ERROR([Open vSwitch in $OVS_BUILDDIR is configured without DPDK:
OVS Fastpath needs packets that wrap DPDK mbufs; reconfigure OVS with
--with-dpdk=shared])
  fi

  AC_MSG_CHECKING([Open vSwitch version])
  OVS_VERSION=`$SED -n 's/^#define PACKAGE_VERSION "\(.*\)"$/\1/p' \
                 "$OVS_BUILDDIR/config.h"`
  AC_MSG_RESULT([$OVS_VERSION])
  case $OVS_VERSION in
    3.1.*) ;;
    *) AC_MSG_WARN([OVS Fastpath is developed against Open vSwitch 3.1; $OVS_VERSION is untested]) ;;
  esac

  OVS_LIBS="`FP_OVS_MAKE_VAR([LIBS])` `FP_OVS_MAKE_VAR([SSL_LIBS])` `FP_OVS_MAKE_VAR([CAPNG_LDADD])`"
  OVS_DPDK_LDFLAGS=`FP_OVS_MAKE_VAR([DPDK_vswitchd_LDFLAGS])`
  OVS_EXTRA_CFLAGS=`FP_OVS_MAKE_VAR([OVS_CFLAGS])`
  OVS_WARNING_FLAGS=`FP_OVS_MAKE_VAR([WARNING_FLAGS])`
  OVS_PYTHON3=`FP_OVS_MAKE_VAR([PYTHON3])`

  AC_SUBST([OVS_SRCDIR])
  AC_SUBST([OVS_BUILDDIR])
  AC_SUBST([OVS_VERSION])
  AC_SUBST([OVS_LIBS])
  AC_SUBST([OVS_DPDK_LDFLAGS])
  AC_SUBST([OVS_EXTRA_CFLAGS])
  AC_SUBST([OVS_WARNING_FLAGS])
  AC_SUBST([OVS_PYTHON3])
  AM_CONDITIONAL([BUNDLED_OVS], [test "$fp_bundled_ovs" = yes])
])

# FP_CHECK_DPDK
#
# Checks that DPDK (through pkg-config) and its vhost library are there.
AC_DEFUN([FP_CHECK_DPDK], [
  PKG_CHECK_MODULES([DPDK], [libdpdk >= 22.11], [],
    [AC_MSG_ERROR([DPDK 22.11 or later not found through pkg-config
(on Debian: apt-get install libdpdk-dev)])])
  fp_save_CPPFLAGS=$CPPFLAGS
  CPPFLAGS="$CPPFLAGS $DPDK_CFLAGS"
  AC_CHECK_HEADER([rte_vhost.h], [],
    [AC_MSG_ERROR([DPDK's vhost library header rte_vhost.h is missing])])
  CPPFLAGS=$fp_save_CPPFLAGS
])
