#! /bin/sh
# Generates configure and Makefile.in from a fresh checkout.
set -e
autoreconf --install --force
