"""What an administrator sees of a running server: log lines (text or JSON, one access line
per request with its request id, repeated errors summarised), `/healthz` and `/readyz`,
Prometheus metrics at `/metrics`, and the checks `opendata serve` makes before it starts."""
