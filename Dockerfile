# One image for the api and the worker; docker-compose.yml picks the command.

# The web app is built from the api's own routes (OpenAPI → typed client → bundle).
FROM node:24-bookworm-slim AS ui
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY . .
RUN npm run ui:build && npm run build:workflows -- dist/workflow-bundle.js && npm run build:server

FROM node:24-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev && npm cache clean --force
COPY domain ./domain
COPY data ./data
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY api ./api
COPY notifier ./notifier
COPY infra ./infra
COPY idp ./idp
COPY app ./app
COPY scripts ./scripts
COPY tsconfig.json ./
COPY --from=ui /app/ui/dist ./ui/dist
# Workers load the workflow code bundled at build time instead of bundling at start.
COPY --from=ui /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
# The api and the worker as one JavaScript file: no TypeScript loader in their memory.
COPY --from=ui /app/dist/lotse.js /app/dist/failure-converter.js ./dist/
ENV LOTSE_WORKFLOW_BUNDLE=/app/dist/workflow-bundle.js
RUN mkdir -p /data && chown node:node /data
USER node
ENV LOTSE_DATA_DIR=/data HOST=0.0.0.0 PORT=3000
# Small on a small VM (docs/capacity.md): one malloc arena; V8's garbage collected on the thread
# that made it, with a young generation of 8 MB a half (NODE_OPTIONS cannot carry --single-threaded-gc).
ENV MALLOC_ARENA_MAX=1
EXPOSE 3000
CMD ["node", "--max-semi-space-size=8", "--single-threaded-gc", "dist/lotse.js", "api"]
