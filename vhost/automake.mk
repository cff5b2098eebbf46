# vhost-user ports (types fastpath-vhost and fastpath-vhost-client).
lib_libfastpath_a_SOURCES += vhost/netdev-fastpath-vhost.c
