// Native modules and dockerode's ssh transport stay outside the server bundle.
/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["dockerode", "docker-modem", "ssh2", "cpu-features", "better-sqlite3", "@prisma/adapter-better-sqlite3", "tar-stream"],
  poweredByHeader: false,
};
module.exports = nextConfig;
