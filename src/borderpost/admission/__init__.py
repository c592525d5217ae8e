"""Admission: the law of a state at its crossings (country rules, permits, document alerts)."""
