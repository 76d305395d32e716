"""The container files: docker-compose.yml, .env.example, Dockerfile and .dockerignore.

Static checks only (no Docker engine, no database): docker-compose.yml is validated
against a vendored copy of the official Compose Specification schema
(compose-spec/compose-spec, schema/compose-spec.json), raw and after interpolation
the way `docker compose` does it, with no .env and with .env.example as .env.
"""

import fnmatch
import functools
import json
import re
import shlex
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SCHEMA_FILE = Path(__file__).with_name("compose-spec.json")

REQUIRED_SERVICES = {"postgres", "redis", "migrate", "web", "worker", "beat"}
APP_SERVICES = ("web", "worker", "beat")
IMAGE_SERVICES = ("migrate", *APP_SERVICES)

# `$$` (a literal $), `${NAME}`, `${NAME<op>arg}` with op one of :- - :? ? :+ +, and `$NAME`.
INTERPOLATION = re.compile(
    r"\$\$|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?P<op>:?[-?+])?(?P<arg>[^}]*)\}|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)

# How PRM reads the environment: settings helpers, os.environ / os.getenv, and the
# `env` copy of os.environ that the dev stack hands to its children.
QUOTED_NAME = r"(?P<f>f?)[\"'](?P<name>[^\"'\n]+)[\"']"
READ_PATTERNS = [
    re.compile(r"\benv_(?:str|bool|int|list|required)\(\s*" + QUOTED_NAME),
    re.compile(r"\bos\.environ\.(?:get|setdefault|pop)\(\s*" + QUOTED_NAME),
    re.compile(r"\bos\.environ\[\s*" + QUOTED_NAME + r"\s*\]"),
    re.compile(r"\bos\.getenv\(\s*" + QUOTED_NAME),
    re.compile(r"\benv(?:\.get\(|\[)\s*" + QUOTED_NAME),
]
ENV_LINE = re.compile(r"^(?:export\s+)?(?P<name>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$")


# --- helpers ------------------------------------------------------------------------


@functools.cache
def compose_raw() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@functools.cache
def schema_validator() -> jsonschema.Draft7Validator:
    schema = json.loads(SCHEMA_FILE.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def schema_errors(config: dict) -> list[str]:
    errors = sorted(schema_validator().iter_errors(config), key=lambda error: list(error.absolute_path))
    return [f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}" for error in errors]


def interpolate(value, env: dict[str, str]):
    """Substitute ${...} in every string value the way `docker compose` does (keys are left alone)."""
    if isinstance(value, dict):
        return {key: interpolate(item, env) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, env) for item in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("bare")
        op, arg = match.group("op"), match.group("arg") or ""
        assert "$" not in arg, f"nested interpolation is not supported here: {match.group(0)!r}"
        current = env.get(name)
        unset = current is None or (op is not None and op.startswith(":") and current == "")
        if op is None:
            assert not arg, f"unsupported interpolation {match.group(0)!r}"
            return current or ""
        if op.endswith("-"):
            return arg if unset else current
        if op.endswith("?"):
            assert not unset, f"docker compose would refuse to start: {name} is required ({arg})"
            return current
        return "" if unset else arg  # :+ and +

    return INTERPOLATION.sub(substitute, value)


def compose_variables() -> set[str]:
    """Every variable docker-compose.yml interpolates (YAML comment lines aside)."""
    text = "\n".join(line for line in COMPOSE_FILE.read_text().splitlines() if not line.lstrip().startswith("#"))
    return {m.group("braced") or m.group("bare") for m in INTERPOLATION.finditer(text) if m.group(0) != "$$"}


@functools.cache
def env_example() -> dict[str, str]:
    """NAME -> value from .env.example; every assignment must sit under a comment and be unique."""
    entries: dict[str, str] = {}
    lines = ENV_EXAMPLE.read_text().splitlines()
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = ENV_LINE.match(stripped)
        assert match, f".env.example:{number} is not NAME=value: {line!r}"
        name, value = match.group("name"), match.group("value").strip()
        assert name not in entries, f".env.example:{number}: {name} is listed twice"
        above = lines[number - 2].strip() if number >= 2 else ""
        assert above.startswith("#") and len(above) > 2, f".env.example:{number}: {name} needs a comment line above"
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        entries[name] = value
    return entries


@functools.cache
def variables_read_by_prm() -> tuple[dict[str, set[str]], dict[tuple[str, str], str]]:
    """({NAME: {files}}, {(file, f-string template): placeholder}) read anywhere in prm/ and manage.py."""
    names: dict[str, set[str]] = {}
    templates: dict[tuple[str, str], str] = {}
    for path in sorted([*(ROOT / "prm").rglob("*.py"), ROOT / "manage.py"]):
        relative = str(path.relative_to(ROOT))
        source = path.read_text()
        for pattern in READ_PATTERNS:
            for match in pattern.finditer(source):
                name = match.group("name")
                if match.group("f") and "{" in name:
                    templates[(relative, name)] = ",".join(re.findall(r"\{([^}]*)\}", name))
                else:
                    names.setdefault(name, set()).add(relative)
    return names, templates


def template_matches(template: str, names) -> set[tuple[str, ...]]:
    """The placeholder values for which the f-string `template` gives one of `names`."""
    pieces = re.split(r"(\{[^}]*\})", template)
    pattern = "".join("([A-Z0-9_]+)" if piece.startswith("{") else re.escape(piece) for piece in pieces)
    return {match.groups() for name in names if (match := re.fullmatch(pattern, name))}


def command_words(service: dict) -> list[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(word) for word in command]


def dockerfile_instructions() -> list[str]:
    """The Dockerfile's instructions, continuation lines joined and comments dropped."""
    instructions, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        current += (" " if current else "") + stripped.removesuffix("\\").strip()
        if not stripped.endswith("\\"):
            instructions.append(current)
            current = ""
    assert not current, "the Dockerfile ends inside a continued instruction"
    return instructions


def dockerignore_excludes(path: str) -> bool:
    """Whether .dockerignore keeps `path` (relative, with /) out of the build context; last match wins."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    excluded = False
    for raw in DOCKERIGNORE.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        pattern = line.removeprefix("!").strip().removeprefix("./").strip("/")
        if pattern.startswith("**/"):
            tail = pattern[3:]
            matched = any(
                fnmatch.fnmatchcase("/".join(prefix.split("/")[start:]), tail)
                for prefix in prefixes
                for start in range(len(prefix.split("/")))
            )
        else:
            matched = any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes)
        if matched:
            excluded = not negate
    return excluded


# --- docker-compose.yml -------------------------------------------------------------


def test_vendored_schema_is_the_compose_specification():
    schema = json.loads(SCHEMA_FILE.read_text())
    assert schema["title"] == "Compose Specification"
    assert {"service", "healthcheck", "volume", "list_or_dict"} <= set(schema["definitions"])
    schema_validator()  # the schema itself is valid draft-07


def test_compose_file_matches_the_compose_specification():
    assert schema_errors(compose_raw()) == []


def test_compose_file_is_valid_without_an_env_file():
    # No .env at all: every variable must have a default and none may be required (`:?`).
    config = interpolate(compose_raw(), {})
    assert schema_errors(config) == []
    secret = config["services"]["web"]["environment"]["SECRET_KEY"]
    assert len(secret) >= 50
    assert "change-me" in secret, "the default SECRET_KEY must be an obvious placeholder"


def test_compose_file_is_valid_with_env_example_as_env():
    assert schema_errors(interpolate(compose_raw(), env_example())) == []


def test_compose_defines_the_stack():
    services = compose_raw()["services"]
    assert set(services) >= REQUIRED_SERVICES
    assert services["postgres"]["image"].split(":")[0] == "postgres"
    assert services["postgres"]["image"].split(":")[1].startswith("16")
    assert services["redis"]["image"].split(":")[0] == "redis"
    assert services["redis"]["image"].split(":")[1].startswith("7")


def test_app_services_start_after_migrate_and_healthy_servers():
    services = compose_raw()["services"]
    for name in APP_SERVICES:
        depends_on = services[name].get("depends_on")
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        assert depends_on["migrate"]["condition"] == "service_completed_successfully", name
        assert depends_on["postgres"]["condition"] == "service_healthy", name
        assert depends_on["redis"]["condition"] == "service_healthy", name
    migrate_depends = services["migrate"]["depends_on"]
    assert migrate_depends["postgres"]["condition"] == "service_healthy"
    assert migrate_depends["redis"]["condition"] == "service_healthy"


def test_healthchecks():
    services = compose_raw()["services"]
    assert "pg_isready" in command_words({"command": services["postgres"]["healthcheck"]["test"]})
    assert {"redis-cli", "ping"} <= set(services["redis"]["healthcheck"]["test"])
    web_check = " ".join(services["web"]["healthcheck"]["test"])
    assert "/healthz" in web_check
    assert "urllib" in web_check, "curl is not in the slim image; check with python"


def test_migrate_bootstraps_the_database_then_migrates():
    migrate = compose_raw()["services"]["migrate"]
    script = " ".join(command_words(migrate))
    assert re.search(r"manage\.py db_bootstrap && python manage\.py migrate (--noinput|--no-input)\b", script)
    assert str(migrate.get("restart", "no")) == "no", "a one-shot job must not restart"
    # Only the migrate job gets the administrative (superuser) password.
    config = interpolate(compose_raw(), {})
    assert urlsplit(config["services"]["migrate"]["environment"]["DATABASE_URL"]).password
    for name in APP_SERVICES:
        database_url = config["services"][name]["environment"]["DATABASE_URL"]
        assert urlsplit(database_url).password is None, f"{name} must not see the admin password"


def test_exactly_one_service_runs_celery_beat():
    services = compose_raw()["services"]
    beats = [
        name for name, service in services.items() if "celery" in (words := command_words(service)) and "beat" in words
    ]
    assert beats == ["beat"]
    beat = services["beat"]
    assert str(beat.get("scale", 1)) == "1"
    assert str((beat.get("deploy") or {}).get("replicas", 1)) == "1"
    assert command_words(services["worker"])[:4] == ["celery", "-A", "prm", "worker"]


def test_app_services_share_image_settings_and_media():
    config = interpolate(compose_raw(), {})
    services = config["services"]
    builds = {name: services[name].get("build") for name in IMAGE_SERVICES}
    for name, build in builds.items():
        context = build.get("context") if isinstance(build, dict) else build
        assert context in (".", "./"), f"{name} must be built from the repository root"
    assert len({services[name].get("image") for name in IMAGE_SERVICES}) == 1
    for name in IMAGE_SERVICES:
        environment = services[name]["environment"]
        assert environment["DJANGO_SETTINGS_MODULE"] == "prm.settings.production", name
        assert environment["REDIS_URL"].startswith("redis://redis:"), name
        assert urlsplit(environment["DATABASE_URL"]).hostname == "postgres", name
    # Uploads: one named volume, mounted where PRM_MEDIA_ROOT points, in web and worker.
    for name in ("web", "worker"):
        media_root = services[name]["environment"]["PRM_MEDIA_ROOT"]
        mounts = [volume.split(":")[:2] for volume in services[name]["volumes"] if isinstance(volume, str)]
        assert ["media", media_root] in mounts, f"{name}: media volume must be mounted at {media_root}"
    assert {"media", "postgres-data"} <= set(config["volumes"])
    assert any(v.startswith("postgres-data:/var/lib/postgresql/data") for v in services["postgres"]["volumes"])


def test_web_runs_gunicorn_on_prm_port():
    for env in ({}, {"PRM_PORT": "9000"}):
        port = env.get("PRM_PORT", "8000")
        web = interpolate(compose_raw(), env)["services"]["web"]
        words = command_words(web)
        assert words[:2] == ["gunicorn", "prm.wsgi:application"]
        assert f"0.0.0.0:{port}" in words
        assert words[words.index("--access-logfile") + 1] == "-"
        assert web["environment"]["PRM_PORT"] == port
        assert f"{port}:{port}" in web["ports"]


def test_ssl_redirect_can_be_switched_off_from_env():
    services = interpolate(compose_raw(), {"SECURE_SSL_REDIRECT": "false"})["services"]
    assert all(services[name]["environment"]["SECURE_SSL_REDIRECT"] == "false" for name in APP_SERVICES)
    services = interpolate(compose_raw(), {})["services"]
    assert all(services[name]["environment"]["SECURE_SSL_REDIRECT"] == "true" for name in APP_SERVICES)


# --- .env.example -------------------------------------------------------------------


def test_env_example_entries_are_commented_and_unique():
    assert env_example()  # parsing asserts the format, the comments and uniqueness


def test_every_compose_variable_is_in_env_example():
    variables = compose_variables()
    assert {"SECRET_KEY", "POSTGRES_PASSWORD", "PRM_PORT"} <= variables
    assert sorted(variables - set(env_example())) == []


def test_env_example_lists_every_variable_prm_reads():
    names, templates = variables_read_by_prm()
    # Guard against a scanner that silently stops finding anything.
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PRM_DEMO_PASSWORD", "PRM_TEST_REDIS_DB"} <= set(names)
    assert len(names) >= 30
    listed = set(env_example())
    missing = {name: sorted(files) for name, files in names.items() if name not in listed}
    assert missing == {}

    # f-string names such as f"PRM_DB_{prefix}_USER": each must match listed names, and
    # templates sharing a placeholder in one file must be listed for the same values.
    assert templates, "expected the f-string role variables of prm/settings/env.py"
    by_placeholder: dict[tuple[str, str], dict[str, set]] = {}
    for (file, template), placeholder in templates.items():
        values = template_matches(template, listed)
        assert values, f"{file}: nothing in .env.example matches {template!r}"
        by_placeholder.setdefault((file, placeholder), {})[template] = values
    for (file, placeholder), found in by_placeholder.items():
        assert len({frozenset(values) for values in found.values()}) == 1, (file, placeholder, found)


def test_app_environment_holds_only_variables_prm_reads():
    # Catches typos: a misspelt name in docker-compose.yml would be silently ignored.
    names, templates = variables_read_by_prm()
    services = compose_raw()["services"]
    for service in IMAGE_SERVICES:
        for name in services[service]["environment"]:
            known = name in names or any(template_matches(template, [name]) for _, template in templates)
            assert known, f"{service}: PRM never reads {name}"


# --- Dockerfile and .dockerignore ----------------------------------------------------


def test_dockerignore_excludes_venv_data_and_secrets():
    for path in (".venv", ".venv/bin/python", ".data", ".data/staticfiles/x.css", ".data/pg/PG_VERSION", ".env"):
        assert dockerignore_excludes(path), f"{path} must not be in the build context"
    assert dockerignore_excludes(".git/HEAD")
    assert dockerignore_excludes("prm/__pycache__/wsgi.cpython-311.pyc")
    for path in ("pyproject.toml", "manage.py", "prm/wsgi.py", "prm/settings/production.py", "templates/base.html"):
        assert not dockerignore_excludes(path), f"the image needs {path}"
    assert not dockerignore_excludes("static/prm/portal.css")


def test_dockerfile_builds_a_small_cache_friendly_non_root_image():
    instructions = dockerfile_instructions()
    upper = [instruction.split(None, 1)[0].upper() for instruction in instructions]
    assert instructions[upper.index("FROM")].split()[1].startswith("python:3.11-slim")

    def position(what: str, predicate) -> int:
        found = [index for index, instruction in enumerate(instructions) if predicate(instruction)]
        assert found, f"the Dockerfile has no {what}"
        return found[0]

    copy_pyproject = position("COPY of pyproject.toml", lambda i: i.startswith("COPY") and "pyproject.toml" in i)
    install = position(
        "RUN pip install .", lambda i: i.startswith("RUN") and re.search(r"pip install (--\S+ )*\.(\s|$)", i)
    )
    copy_source = position("COPY . .", lambda i: re.fullmatch(r"COPY (--\S+ )*\. \.(/)?", i))
    collectstatic = position("RUN collectstatic", lambda i: i.startswith("RUN") and "collectstatic --noinput" in i)
    assert copy_pyproject < install < copy_source < collectstatic
    assert "DJANGO_SETTINGS_MODULE=prm.settings.production" in instructions[collectstatic]
    assert "SECRET_KEY=" in instructions[collectstatic]
    assert not any("[dev]" in instruction for instruction in instructions), "the dev extra stays out of the image"
    # The build-time SECRET_KEY must not outlive its RUN step.
    assert not any(re.match(r"(ENV|ARG)\b.*\bSECRET_KEY\b", instruction) for instruction in instructions)
    user = [instruction.split()[1] for instruction in instructions if instruction.upper().startswith("USER ")]
    assert user, "the image must not run as root"
    assert user[-1].split(":")[0] not in ("root", "0")
