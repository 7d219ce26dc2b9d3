"""The outbox: background jobs written in the same transaction as the change that causes them.

`enqueue` (queue.py) writes a job with the caller's session; a worker in each server
(worker.py) claims due jobs (`FOR UPDATE SKIP LOCKED` on PostgreSQL), runs them, and retries
failures with backoff. Failed jobs stay in the table for admins (admin.py).
"""
