# jetprow's image: every service and operator command, `jetprow <command>` (docs/deploy.md).
# Production runs the built JavaScript (apps/cli/dist, `npm run build`: one bundle of the CLI, the
# services and their npm dependencies); node_modules holds only what the bundle leaves external
# (@kubernetes/client-node). No TypeScript loader, no test code, no dev dependencies.
# test/image/image-tree.test.ts builds this file tree from the COPY lines of the last stage and
# runs it. Build: docker build -t jetprow .

# 1. Build: all dependencies, then the bundle.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund --ignore-scripts && npm run build

# 2. Only the package manifests, so the dependency layer is rebuilt only when they change.
FROM node:20-bookworm-slim AS manifests
WORKDIR /src
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json -delete \
 && find . -depth -type d -empty -delete

# 3. Production dependencies only; the workspace links are dropped (the bundle holds that code).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY --from=manifests /src/ ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && rm -rf node_modules/@jetprow && npm cache clean --force

# 4. The image: production dependencies, the built CLI, the demo config and the sample webhooks.
#    Runs as an unprivileged numeric user (runAsNonRoot can verify it).
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/package.json ./package.json
COPY --from=deps /app/apps/cli/package.json ./apps/cli/package.json
COPY --from=build /src/apps/cli/bin/jetprow.mjs ./apps/cli/bin/jetprow.mjs
COPY --from=build /src/apps/cli/dist ./apps/cli/dist
COPY --from=build /src/examples ./examples
COPY --from=build /src/services/hook/examples ./services/hook/examples
USER 1000:1000
EXPOSE 8888 8081 9090
ENTRYPOINT ["node", "apps/cli/bin/jetprow.mjs"]
CMD ["--help"]
