"""The critical-points lesson (page: pages/critical.py)."""
