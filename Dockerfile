# syntax=docker/dockerfile:1
# shiftnote: multi-stage build on the current Node LTS; runs as a non-root user.
# (The syntax directive must be the very first line, or BuildKit ignores it.)

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# postinstall runs `prisma generate` through the offline WASM schema engine (prisma/schema-engine.mjs).
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build && npm prune --omit=dev

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 LLM_CONFIG=/app/config/llm.yaml
WORKDIR /app
RUN groupadd --system shiftnote && useradd --system --gid shiftnote --home /app shiftnote
COPY --from=build --chown=shiftnote:shiftnote /app/node_modules ./node_modules
COPY --from=build --chown=shiftnote:shiftnote /app/dist ./dist
COPY --from=build --chown=shiftnote:shiftnote /app/src/generated ./src/generated
COPY --from=build --chown=shiftnote:shiftnote /app/src/http/ui/assets ./src/http/ui/assets
COPY --chown=shiftnote:shiftnote package.json prisma.config.ts ./
COPY --chown=shiftnote:shiftnote prisma ./prisma
COPY --chown=shiftnote:shiftnote config ./config
USER shiftnote
EXPOSE 3000
# Readiness (database reachable, migrations applied); it turns false first when SIGTERM starts the drain.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# main.ts runs `prisma migrate deploy` before listening; SIGTERM drains in-flight requests (SHUTDOWN_TIMEOUT_MS)
# and flushes traces. Request headers are capped at 16 KB by the server itself.
CMD ["node", "dist/src/main.js"]
