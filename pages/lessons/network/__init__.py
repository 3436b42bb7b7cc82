"""The real-network lesson (issue 13): the lecture's claims on a 2-32-1 tanh network trained live."""
