"""The adaptive-learning-rate lesson (page: pages/adaptive.py)."""
