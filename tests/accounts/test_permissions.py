import pytest

from prm.accounts.roles import ALL_ROLES, Role, capabilities_of, register_capability, role_can


@pytest.mark.parametrize(
    ("capability", "allowed"),
    [
        ("admin.view", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER, Role.VENDOR_STAFF}),
        ("admin.change", {Role.TENANT_ADMIN, Role.CHANNEL_MANAGER}),
        ("team.manage", {Role.TENANT_ADMIN}),
        ("settings.manage", {Role.TENANT_ADMIN}),
        ("audit.view", {Role.TENANT_ADMIN}),
        ("portal.use", set(ALL_ROLES)),
    ],
)
def test_foundation_capabilities_by_role(capability, allowed):
    assert {role for role in ALL_ROLES if role_can(role, capability)} == allowed
    assert not role_can(None, capability)


def test_vendor_staff_is_read_only():
    assert capabilities_of(Role.VENDOR_STAFF) == [
        "admin.view",
        "content.view_all",
        "deals.view_all",
        "incentives.view_all",
        "mdf.view_all",
        "partners.view_all",
        "portal.use",
    ]


def test_unknown_capabilities_and_roles_fail_loudly():
    with pytest.raises(KeyError, match="register it first"):
        role_can(Role.TENANT_ADMIN, "deals.approve.typo")
    with pytest.raises(ValueError, match="Unknown roles"):
        register_capability("x.y", {"superhero"})
    with pytest.raises(ValueError, match="already registered"):
        register_capability("team.manage", {Role.CHANNEL_MANAGER})
