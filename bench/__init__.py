"""evote's benchmarks: each prints its rates and their ratios against a baseline measured in
the same run, on the same input (`python -m bench` runs them all)."""
