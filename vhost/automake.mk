# vhost-user ports (types fastpath-vhost and fastpath-vhost-client).
lib_libfastpath_a_SOURCES += \
	vhost/fp-vhost.h \
	vhost/fp-vhost-socket.c \
	vhost/netdev-fastpath-vhost.c
