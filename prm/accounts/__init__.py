"""Accounts: one User per email across vendors, Membership(user, tenant, role), and the
permission layer (capabilities by role) shared by portal views, the API and the admin.
"""
