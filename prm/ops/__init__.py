"""Ops: database roles and grants, migrations as the owner, the beat→worker heartbeat,
/healthz, demo data, and the embedded dev stack behind `make run` / `make test`.
"""
