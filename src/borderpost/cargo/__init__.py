"""cargo domain."""
