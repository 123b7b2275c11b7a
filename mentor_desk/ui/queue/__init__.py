"""The review queue: table model, filter proxy, saved views and the queue table widget."""
