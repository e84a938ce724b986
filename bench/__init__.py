"""storyline benchmarks: quality and speed, reproducible with `make bench`."""
