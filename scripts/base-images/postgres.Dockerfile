# Local stand-in for postgres:15-bookworm, built from Debian packages only: bookworm's
# postgresql-15 on slimstage/bookworm-minbase:local. It honours the official image's
# POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB on first start (postgres-entry.sh) and
# keeps its data in /var/lib/postgresql/data, so compose.yaml runs it in place of the
# official image. Built with --network host (the RUN step reaches the Debian mirror).
FROM slimstage/bookworm-minbase:local

RUN set -eu; \
    export DEBIAN_FRONTEND=noninteractive; \
    ok=; for i in 1 2 3; do apt-get update -q && ok=1 && break; sleep $((i * 5)); done; [ -n "$ok" ]; \
    ok=; for i in 1 2 3; do \
      apt-get install -y -q --no-install-recommends postgresql-15 && ok=1 && break; \
      sleep $((i * 5)); \
    done; [ -n "$ok" ]; \
    apt-get clean; \
    rm -rf /var/lib/apt/lists/*; \
    mkdir -p /var/lib/postgresql/data /var/run/postgresql; \
    chown -R postgres:postgres /var/lib/postgresql /var/run/postgresql; \
    chmod 0700 /var/lib/postgresql/data

COPY postgres-entry.sh /usr/local/bin/postgres-entry.sh
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
    PGDATA=/var/lib/postgresql/data
USER postgres
EXPOSE 5432
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/postgres-entry.sh"]
CMD ["postgres"]
LABEL org.slimstage.standin=true \
      org.slimstage.standin.for=postgres:15-bookworm \
      org.slimstage.managed=base-image
