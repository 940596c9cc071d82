# syntax=docker/dockerfile:1

# Toonbank: one image, two commands (docker-compose.yml runs both, with PostgreSQL and Redis).
#   API, the default:  node apps/api/dist/main.js   (also serves the web app, WEB_DIST_DIR)
#   worker:            node apps/worker/dist/main.js
#   migrations, seed:  node apps/api/dist/cli.js migrate | migrate:revert | seed

# --- manifests: the package.json files and the lock, nothing else -------------------------------
# The install layer of the build stage depends on these alone, so it stays cached while only
# sources change.
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir /manifests \
 && find . \( -name package.json -o -name package-lock.json \) -type f -print0 \
    | xargs -0 cp --parents --target-directory=/manifests

# --- build: every dependency, compile, then prune to what runs in production -------------------
FROM node:20-bookworm-slim AS build
# npm 11, as on a developer's machine: it honours the allowScripts field of package.json.
RUN npm install -g npm@11 && npm --version
WORKDIR /app

COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm ci --no-audit --no-fund

# Native modules come prebuilt (argon2 is pinned to a release whose binary suits Node 20's
# Node-API 9): no compiler in the image. Prove it before going on.
RUN node -e "require('argon2').hash('probe').then(() => console.log('argon2 hashes'))"

# apps/api/dist, apps/worker/dist, libs/*/dist, migrations/dist and the web app (apps/web/dist);
# also scripts/demo-peers/dist, the demo's fake channels for `npm start`, which the image leaves out.
COPY . .
RUN npm run build

# Production dependencies only. The libraries and migrations are workspace packages
# (node_modules/@toonbank/* link to them, their package.json "exports" point at dist/), so
# each one's package.json and dist/ go along; their sources do not.
RUN npm prune --omit=dev --omit=optional \
 && mkdir /runtime \
 && cp -a --parents package.json node_modules \
      migrations/package.json migrations/dist libs/*/package.json libs/*/dist \
      apps/*/package.json apps/api/dist apps/worker/dist apps/web/dist \
      /runtime/ \
 && find /runtime -name '*.tsbuildinfo' -delete \
 && cd /runtime \
 && node -e "for (const m of ['./apps/api/dist/api.module.js', './apps/api/dist/cli/demo-seed.js', './apps/worker/dist/worker.module.js']) require(m); console.log('the runtime files load')"

# --- runtime ------------------------------------------------------------------------------------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    WEB_DIST_DIR=/app/apps/web/dist
WORKDIR /app
# Owned by root: the app can read its files, not change them.
COPY --from=build /runtime/package.json ./
COPY --from=build /runtime/node_modules ./node_modules
COPY --from=build /runtime/migrations ./migrations
COPY --from=build /runtime/libs ./libs
COPY --from=build /runtime/apps/api ./apps/api
COPY --from=build /runtime/apps/worker ./apps/worker
COPY --from=build /runtime/apps/web ./apps/web
USER node
EXPOSE 3000
CMD ["node", "apps/api/dist/main.js"]
