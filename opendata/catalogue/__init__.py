"""The catalogue: reading Frictionless data packages, loading them, and querying them."""
