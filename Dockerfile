# SkillFlow application image: the same build serves as the worker (CMD below) or the API
# (docker-compose.yml overrides the command). Configured only by environment variables.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm install --no-audit --no-fund \
 && DATABASE_URL=file:/tmp/x.db npx prisma generate \
 && DATABASE_URL=postgresql://localhost/unused npx prisma generate
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/package.json ./
USER node
CMD ["node", "dist/worker/main.js"]
