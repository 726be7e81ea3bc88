// Native modules and dockerode's ssh transport stay outside the server bundle. Every
// response carries security headers; the Content-Security-Policy allows no eval in
// production (Next.js needs it only for development's fast refresh).
const production = process.env.NODE_ENV === "production";

const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${production ? "" : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

/** @type {import('next').NextConfig} */
const nextConfig = {
  serverExternalPackages: ["dockerode", "docker-modem", "ssh2", "cpu-features", "better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "tar-stream", "pino", "prom-client"],
  poweredByHeader: false,
  // Slimstage's own image (Dockerfile) sets this: only the files the server needs, traced;
  // no type check there: its build context leaves the tests out (`npx tsc --noEmit -p .` checks all).
  ...(process.env.SLIMSTAGE_NEXT_STANDALONE === "1" ? { output: "standalone", typescript: { ignoreBuildErrors: true } } : {}),
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "Content-Security-Policy", value: contentSecurityPolicy },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
        ],
      },
    ];
  },
};
module.exports = nextConfig;
