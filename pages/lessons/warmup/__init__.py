"""The warm-up lesson (page: pages/warmup.py)."""
