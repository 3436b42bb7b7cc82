"""The batch-size lesson (page: pages/batch.py)."""
