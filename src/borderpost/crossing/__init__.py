"""crossing domain."""
