# syntax=docker/dockerfile:1
# One image per service of the monorepo:
#   docker build --build-arg SERVICE=base -t robot-platform/base .
# SERVICE is one of: base, store, face, delivery-fsm, telematics-ingest (compose.yml builds all).
# The container runs the service's migrations, then the service.

ARG NODE_IMAGE=node:24.21.0-bookworm-slim

# --- all dependencies (build tools included) ---------------------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
ENV NX_DAEMON=false NX_NO_CLOUD=true CI=true
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- build the one service -------------------------------------------------------------------
FROM deps AS builder
ARG SERVICE
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<service>" >&2; exit 1; }
COPY . .
RUN npx nx run "$SERVICE:build" --outputStyle=static \
 && test -f "dist/services/$SERVICE/main.js" \
 && test -f "dist/services/$SERVICE/migrate.js"

# --- production dependencies only -----------------------------------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime -----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
WORKDIR /app
# URL prefix of the service, for the health check, from the service table
COPY services/services.tsv /tmp/services.tsv
RUN prefix=$(awk -F '\t' -v svc="$SERVICE" '$1 == svc { print $2 }' /tmp/services.tsv) \
 && if [ -z "$prefix" ]; then echo "unknown SERVICE '$SERVICE' (services/services.tsv)" >&2; exit 1; fi \
 && printf '%s' "$prefix" > /app/.service-prefix && rm /tmp/services.tsv
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=builder /app/package.json ./package.json
COPY --from=builder /app/dist/services/${SERVICE} ./dist/services/${SERVICE}
USER node
# readiness of the service itself (HTTP_PORT comes from the environment, see compose.yml)
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=5 \
  CMD node -e "const p=require('fs').readFileSync('/app/.service-prefix','utf8');fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||3000)+p+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "-c", "node dist/services/$SERVICE/migrate.js && exec node dist/services/$SERVICE/main.js"]
