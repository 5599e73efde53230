# Samverkansportalen: one image for web (gunicorn), worker and beat (Celery).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=samverkan.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# WeasyPrint's system libraries (Pango, HarfBuzz) and the fonts the PDFs are set in.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system samverkan \
    && useradd --system --gid samverkan --home-dir /app --shell /usr/sbin/nologin samverkan

WORKDIR /app

# The runtime dependencies of pyproject.toml, at exactly the versions in requirements.lock
# (the lock pins every package, transitive ones included). A layer of its own, so a
# code change does not reinstall them.
COPY requirements.lock pyproject.toml ./
RUN pip install --constraint requirements.lock .

COPY . .

# Static files are part of the image; the key exists only for this command.
RUN DJANGO_DEBUG=false DJANGO_SECRET_KEY=collectstatic-at-build-time-only-never-used-to-sign \
        python manage.py collectstatic --noinput -v 0 \
    && mkdir -p /data/media /app/var \
    && chown samverkan:samverkan /data/media /app/var

USER samverkan
EXPOSE 8000
CMD ["gunicorn", "samverkan.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
