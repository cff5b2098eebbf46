# vhost-user ports (types fastpath-vhost and fastpath-vhost-client), part
# of the engine's library.
engine_libfpengine_a_SOURCES += \
	vhost/fp-vhost.h \
	vhost/fp-vhost-socket.c \
	vhost/netdev-fastpath-vhost.c
