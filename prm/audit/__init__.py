"""Audit: the append-only trail of every state change made through services
(actor, tenant, object, action, before/after), readable by tenant admins.
"""
