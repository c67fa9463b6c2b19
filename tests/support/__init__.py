"""Test helpers: a local HTTP server and fake partner portals."""
