"""The momentum lesson (page: pages/momentum.py)."""
