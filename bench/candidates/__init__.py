"""Pipeline components that only a benchmark candidate uses (bench/configs)."""
