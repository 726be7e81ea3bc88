# Local stand-in for gcr.io/distroless/static-debian12: scratch plus CA certificates,
# the time zone database and an /etc/passwd and /etc/group with root (0) and
# nonroot (65532). It sets no USER: the app image decides which user to run as.
# Built by scripts/base-images.sh; the files come from Debian's ca-certificates and
# tzdata packages in slimstage/golang:1.23-local.
FROM slimstage/golang:1.23-local AS source

RUN set -eu; \
    root=/staticroot; \
    mkdir -p $root/etc/ssl/certs $root/usr/share $root/tmp $root/home/nonroot $root/root; \
    cp /etc/ssl/certs/ca-certificates.crt $root/etc/ssl/certs/; \
    cp -a /usr/share/zoneinfo $root/usr/share/; \
    rm -f $root/usr/share/zoneinfo/localtime; \
    printf '%s\n' \
      'root:x:0:0:root:/root:/sbin/nologin' \
      'nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin' \
      'nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin' >$root/etc/passwd; \
    printf '%s\n' \
      'root:x:0:' \
      'nobody:x:65534:' \
      'nonroot:x:65532:' >$root/etc/group; \
    chmod 0644 $root/etc/passwd $root/etc/group; \
    chmod 1777 $root/tmp; \
    chmod 0700 $root/root; \
    chown 65532:65532 $root/home/nonroot; \
    chmod 0700 $root/home/nonroot

FROM scratch
COPY --from=source /staticroot/ /
ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
LABEL org.slimstage.standin=true \
      org.slimstage.standin.for=gcr.io/distroless/static-debian12 \
      org.slimstage.managed=base-image
