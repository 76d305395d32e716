# syntax=docker/dockerfile:1
# One image for every PRM process: web (gunicorn), worker and beat (Celery) and
# the one-shot `migrate` job. See docker-compose.yml for how they are started.
FROM python:3.11-slim

# PYTHONPATH: the code is imported from /app, where the settings expect it (BASE_DIR
# is /app: templates/, static/ and .data/ sit beside the packages, not in site-packages).
# DJANGO_SETTINGS_MODULE: fail closed; without an explicit choice the image runs the
# production settings (which refuse to start without SECRET_KEY), never the local ones.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=prm.settings.production

WORKDIR /app

RUN groupadd --system --gid 10001 prm \
    && useradd --system --uid 10001 --gid prm --create-home --home-dir /home/prm --shell /usr/sbin/nologin prm

# Dependencies first, from pyproject.toml alone, so this layer is rebuilt only when
# pyproject.toml changes. With no package sources beside it `pip install .` installs
# the runtime dependencies (not the `dev` extra) and an empty `prm` distribution.
COPY pyproject.toml ./
RUN pip install . \
    && rm -rf build ./*.egg-info

COPY . .

# Static files, hashed and compressed for whitenoise, into /app/.data/staticfiles.
# Needs no database or Redis; the SECRET_KEY here is a throwaway for this step only.
# The media directory is created owned by the app user so a fresh named volume
# mounted there inherits that ownership.
RUN DJANGO_SETTINGS_MODULE=prm.settings.production \
    SECRET_KEY=build-time-collectstatic-only-not-a-real-secret-0123456789abcdef \
    python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p /app/.data/media \
    && chown prm:prm /app/.data/media

# The source stays root-owned and read-only to the app; only the media dir is writable.
USER prm:prm

EXPOSE 8000

CMD ["gunicorn", "prm.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-", "--error-logfile", "-"]
