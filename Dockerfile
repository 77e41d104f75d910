# syntax=docker/dockerfile:1
# Production image: compiled JavaScript, production dependencies only, non-root.
# Node 24 is the active LTS (the machines' Node 20 is past its end of life).

# 1. Compile with every dependency (the Nest CLI and TypeScript are devDependencies).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build

# 2. Production dependencies only: no compiler, test tools or pino-pretty in the image.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# 3. Runtime. The code stays owned by root, so the service cannot rewrite itself.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000
WORKDIR /app
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Only for the embedded engine (DATA_DIR=/var/lib/taskwell); with DATABASE_URL nothing is written.
RUN mkdir -p /var/lib/taskwell && chown node:node /var/lib/taskwell
USER node
EXPOSE 3000
# The image has no curl: Node's own fetch asks the readiness endpoint.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node itself is PID 1 (not npm, which would not pass SIGTERM on): it drains, then exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/src/main.js"]
