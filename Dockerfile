# syntax=docker/dockerfile:1

# Node 24 LTS, Alpine variant. Chosen over the alternatives for size and patching:
# - node:24-alpine is the smallest official image that still has a shell (~55 MB compressed
#   against ~75 MB for node:24-bookworm-slim) and gets Alpine's fast security rebuilds. musl is
#   no concern: every dependency of this service is pure JavaScript, nothing is compiled.
# - distroless Node would shed the shell too, but it has no npm for the build stages, so it would
#   need a second base image; one ARG keeps a local or mirrored base a single substitution.
#
# Every stage starts FROM ${NODE_IMAGE}. Its default names the `node-base` stage rather than the
# image itself because Dependabot cannot read image names out of ARGs, but does bump the FROM
# line below. To build on another base (a mirror, or the local stand-in the container test
# builds because no registry is reachable there): --build-arg NODE_IMAGE=<image>. An unused
# node-base stage is skipped, not pulled.
ARG NODE_IMAGE=node-base

FROM node:24-alpine AS node-base

# ---- dependencies: the full tree, dev tools included, exactly as the lockfile says --------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --no-audit --no-fund --no-update-notifier

# ---- build: compile TypeScript to dist/, and the dashboard page to web/dist/ ---------------------
FROM deps AS build
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY web ./web
RUN npm run build

# ---- production dependencies: the same tree, dev tools pruned (no second download) -------------
# Then the files nothing reads at run time: source maps, type declarations, READMEs and
# changelogs, about half of node_modules by size. Licence files stay.
FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund --no-update-notifier \
 && find node_modules -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
      -o -iname 'readme*' -o -iname 'changelog*' -o -iname 'history.md' \) -exec rm -f {} +

# ---- runtime ------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime

# The base image's package managers are not needed to run the app, and scanners report their
# bundled dependencies; removing them keeps the attack surface to Node and the app.
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
      /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-*

# DATA_DIR: where the embedded history store would write when DATABASE_URL is not set; the root
# file system is read-only, so that needs a volume mounted there (compose and Kubernetes set
# DATABASE_URL instead and mount nothing). Without either, history is unavailable and the rest
# serves (docs/history.md).
ENV NODE_ENV=production \
    APP_ENV=production \
    PORT=8000 \
    DATA_DIR=/data
# V8's heap sized from the container's memory limit: old space = half of it (128 MB in the
# 256 MiB pod of deploy/k8s, what the reliability suite's load part runs with). Without it V8's
# heap limit here is 259 MB whatever the limit (measured with podman --memory 256m and 384m):
# above a 256 MiB limit, so under load the kernel kills the pod before V8 collects hard.
ENV NODE_OPTIONS=--max-old-space-size-percentage=50
WORKDIR /app

# Owned by root and read-only to the app's user: the process cannot rewrite its own code.
# package.json is read at start-up for the version when APP_VERSION is not set.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY package.json ./

# No compile cache in the image (src/main.ts turns it on elsewhere): written at run time it would
# fill /tmp, which is small and in memory (16 MiB on Kubernetes; the cache is ~12 MB), and shipped
# in the image (tried) it added 17 MB for a start 30-90 ms faster (1.13 against 1.16-1.22 s
# podman run -> /health): more to pull than it saves.
ENV NODE_DISABLE_COMPILE_CACHE=1

# The build arguments come last so that a new version or commit reuses every layer above.
ARG APP_VERSION=""
ARG REVISION=""
ARG CREATED=""
ARG SOURCE=""
ENV APP_VERSION=${APP_VERSION}
LABEL org.opencontainers.image.title="github-dashboard-backend" \
      org.opencontainers.image.description="Gateway between dashboards and the GitHub REST API" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.version="${APP_VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}"

# uid 1000 is the `node` user of the official images. Numeric, so that Kubernetes'
# runAsNonRoot can verify it without reading /etc/passwd.
USER 1000:1000
EXPOSE 8000

# No curl in the image: Node's own fetch asks /health, which never calls GitHub.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8000)+'/health',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]

# Exec form: node is PID 1 and receives SIGTERM itself; the app closes its server on it
# (enableShutdownHooks) and exits, well inside the stop timeout.
# --max-semi-space-size=8 (MB): V8's young generation sized for a small service rather than for
# the host's memory. Measured under the reliability load (200 connections, old space capped as in
# a 256 MiB container): 1,450 -> 2,500 req/s, p99 367 -> 206 ms, peak RSS 261 -> 227 MB (README,
# "Runtime flags"). --liftoff-only: WebAssembly (only the embedded history store, PGlite, uses it)
# compiled by V8's baseline compiler alone: the embedded store then costs ~50 MiB instead of
# ~145 MiB (docs/history.md); nothing else changes, and on PostgreSQL no WebAssembly is loaded.
# The same command as package.json's start:prod (checked by test:delivery).
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=8", "--liftoff-only", "dist/main.js"]
