# jetprow's image: every service and operator command, `jetprow <command>` (docs/deploy.md).
# Node 20 runs the TypeScript sources through tsx, a runtime dependency of @jetprow/cli; there is
# no build step (docs/architecture.md). Build: docker build -t jetprow .

# 1. Only the package manifests, so the dependency layer is rebuilt only when they change.
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -depth -type d -empty -delete

# 2. Production dependencies of the root and of every workspace (npm links the workspaces).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY --from=manifests /src/ ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Dependencies + sources. Runs as an unprivileged numeric user (runAsNonRoot can verify it).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/ ./
COPY . .
USER 1000:1000
EXPOSE 8888 8081 9090
ENTRYPOINT ["node", "libs/cli/bin/jetprow.mjs"]
CMD ["--help"]
