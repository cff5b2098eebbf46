EXTRA_DIST += utilities/fp-quickstart.sh utilities/fp-bench.sh
