"""Celery fixtures for tests that need a real worker (filled in by the runtime work)."""
