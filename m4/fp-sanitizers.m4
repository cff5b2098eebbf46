# The sanitizer build of OVS Fastpath (configure --enable-sanitizers).
#
# Licensed under the Apache License, Version 2.0.

# FP_ENABLE_SANITIZERS
#
# With --enable-sanitizers, compiles and links everything this package
# builds (the engine, the vhost ports, the shim, our ovs-vswitchd and the
# utilities) with AddressSanitizer and UndefinedBehaviorSanitizer.  Any
# undefined behaviour is fatal, as an ASan report is.  The Open vSwitch
# libraries that ovs-vswitchd links stay as they were built; the flags go
# to CFLAGS and LDFLAGS so that targets with CFLAGS of their own get them
# too.  Substitutes FP_SANITIZERS (yes or no) for tests/atlocal.
#
# With gcc, libubsan is linked statically: when both run-time libraries are
# shared, libubsan's setting of UBSAN_OPTIONS' log_path lands in libasan's
# copy of the reporting code, and UBSan's reports go to stderr, which a
# daemon that detached has closed.  Linked into the program, UBSan writes
# them to the files that log_path names, as ASan does.
AC_DEFUN([FP_ENABLE_SANITIZERS], [
  AC_ARG_ENABLE([sanitizers],
    [AS_HELP_STRING([--enable-sanitizers],
      [build OVS Fastpath with AddressSanitizer and
       UndefinedBehaviorSanitizer (for "make check"; Open vSwitch's own
       libraries are linked as they are)])],
    [], [enable_sanitizers=no])
  case $enable_sanitizers in
    yes|no) ;;
    *) AC_MSG_ERROR([--enable-sanitizers takes no value (yes or no), not "$enable_sanitizers"]) ;;
  esac

  FP_SANITIZERS=$enable_sanitizers
  if test "$enable_sanitizers" = yes; then
    fp_sanitizer_flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
    fp_sanitizer_ldflags=
    AC_COMPILE_IFELSE([AC_LANG_PROGRAM([[#ifdef __clang__
#error clang
#endif]], [])],
      [fp_sanitizer_ldflags=-static-libubsan])
    AC_MSG_CHECKING([whether $CC compiles and links with $fp_sanitizer_flags $fp_sanitizer_ldflags])
    fp_save_CFLAGS=$CFLAGS
    fp_save_LDFLAGS=$LDFLAGS
    CFLAGS="$CFLAGS $fp_sanitizer_flags"
    LDFLAGS="$LDFLAGS $fp_sanitizer_flags $fp_sanitizer_ldflags"
    AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])],
      [AC_MSG_RESULT([yes])],
      [AC_MSG_RESULT([no])
       CFLAGS=$fp_save_CFLAGS
       LDFLAGS=$fp_save_LDFLAGS
       AC_MSG_ERROR([$CC cannot build with AddressSanitizer and
UndefinedBehaviorSanitizer: their run-time libraries are missing (with gcc
on Debian: libgcc-12-dev, libasan8 and libubsan1, which gcc depends on)])])
  fi
  AC_SUBST([FP_SANITIZERS])
  AM_CONDITIONAL([FP_SANITIZERS], [test "$enable_sanitizers" = yes])
])
