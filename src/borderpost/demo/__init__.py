"""The Al-Qaim scenario (shared/design/scenario.md), loaded through the service functions."""
