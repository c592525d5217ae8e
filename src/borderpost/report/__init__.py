"""report domain."""
