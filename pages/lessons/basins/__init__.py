"""The basin-map lesson (page: pages/basins.py): which minimum each start ends in, per optimizer."""
