"""The "Build an optimizer" lesson (page: pages/compose.py): the lecture's summary rule from its three parts."""
