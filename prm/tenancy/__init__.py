"""Tenancy: the vendor (Tenant), host resolution, the tenant context and row-level security.

Every tenant-owned table is scoped twice: by TenantManager in Python and by a
PostgreSQL policy on `prm.tenant_id`, both driven by the one tenant context.
"""
