EXTRA_DIST += utilities/fp-quickstart.sh
