# Production image: Python 3.11 with WeasyPrint's Pango, assets built with Node in a first stage.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY assets ./assets
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml ./
COPY config ./config
COPY cases ./cases
COPY meetings ./meetings
COPY supervision ./supervision
COPY transfers ./transfers
COPY mappa ./mappa
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/static ./static
# collectstatic needs a key only to import settings; the real one comes from the environment at run time.
RUN SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only python manage.py collectstatic --noinput
RUN useradd --system --uid 1000 app && chown -R app /app
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
