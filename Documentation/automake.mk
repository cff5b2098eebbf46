EXTRA_DIST += Documentation
