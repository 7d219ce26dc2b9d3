"""Pulled sources: a dataset's declared URL fetched on its schedule, checked, and published as
a version (or held for the steward), once per tick however many servers share the database.

schedule.py turns each source's schedule into ticks and queues one outbox job per tick (the
job's dedupe key makes it one across servers; the outbox lease makes one server run it);
fetch.py is the guarded HTTP fetch; job.py runs a tick and records it (models.py); status.py is
what the steward sees; declare.py sets a source outside the catalogue folder.
"""
