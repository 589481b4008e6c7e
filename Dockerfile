# One image for the api and the worker; docker-compose.yml picks the command.
FROM node:20-bookworm-slim
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
COPY infra ./infra
COPY scripts ./scripts
COPY tsconfig.json ./
RUN mkdir -p /data && chown node:node /data
USER node
ENV LOTSE_DATA_DIR=/data HOST=0.0.0.0 PORT=3000
EXPOSE 3000
CMD ["npx", "tsx", "api/main.ts"]
