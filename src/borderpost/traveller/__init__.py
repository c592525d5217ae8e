"""traveller domain."""
