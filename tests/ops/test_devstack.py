"""The embedded PostgreSQL of `make run`/`make test`: a data directory of another major version is
kept aside, not fed to a server that cannot start it."""

from prm.ops.devstack import embedded_postgres_major, set_aside_old_cluster


def test_the_embedded_server_is_postgresql_18():
    assert embedded_postgres_major() == "18"


def test_a_cluster_of_another_major_is_kept_aside(tmp_path):
    pgdata = tmp_path / "pg"
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("16\n")
    set_aside_old_cluster(pgdata, "18")
    assert not pgdata.exists()
    [kept] = tmp_path.iterdir()
    assert kept.name.startswith("pg-16-") and (kept / "PG_VERSION").read_text() == "16\n"


def test_a_cluster_of_the_same_major_or_none_is_left_alone(tmp_path):
    pgdata = tmp_path / "pg"
    set_aside_old_cluster(pgdata, "18")
    assert not pgdata.exists()
    pgdata.mkdir()
    (pgdata / "PG_VERSION").write_text("18\n")
    set_aside_old_cluster(pgdata, "18")
    assert (pgdata / "PG_VERSION").exists()
