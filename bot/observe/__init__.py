"""Observability: Prometheus metrics (GET /metrics) and the log format, each in one place."""
