"""Throwaway servers on loopback, from Debian's packages, for the benchmarks and the tests:
PostgreSQL, Redis and nginx (started and removed by the caller)."""
