# The E2B sandbox template for the Osiris e2b target: Node 20 with the runtime's native and driver
# packages preinstalled. The runtime itself (dist/sandbox-runtime.mjs) is uploaded by the worker
# at the start of every run, so a template only needs rebuilding when e2b/package.json changes.
FROM node:20-bookworm-slim

# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
    && rm -rf /var/lib/apt/lists/*

# The run's root in the sandbox (ROOT in src/runtime/sandbox/e2b-sandbox.ts): the uploaded runtime
# resolves its external packages from node_modules here. E2B runs commands as the user "user".
RUN useradd -m -s /bin/bash user 2>/dev/null || true
WORKDIR /home/user/osiris
COPY package.json ./
RUN npm install --omit=dev --no-audit --no-fund && chown -R user:user /home/user/osiris
