# syntax=docker/dockerfile:1
# Multi-stage build: a static binary on a small non-root runtime image.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/extend-compat-proxy . \
 && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/healthcheck ./cmd/healthcheck \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/extend-compat-proxy /out/healthcheck /usr/local/bin/
COPY config.yaml /etc/extend-compat-proxy/config.yaml
# The webhook relay's default SQLite store (sqlite:extend-compat-webhooks.db) is relative to the working
# directory: a directory the non-root user owns; mount a volume here to keep events across containers.
COPY --from=build --chown=nonroot:nonroot /out/data /var/lib/extend-compat-proxy
WORKDIR /var/lib/extend-compat-proxy
USER nonroot:nonroot
EXPOSE 8080 9090
ENV EXTEND_COMPAT_CONFIG=/etc/extend-compat-proxy/config.yaml \
    EXTEND_COMPAT_LISTEN=:8080 \
    EXTEND_COMPAT_ADMIN_LISTEN=:9090
# distroless has no shell or curl: a tiny static probe binary checks /healthz.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/healthcheck", "http://127.0.0.1:8080/healthz"]
ENTRYPOINT ["/usr/local/bin/extend-compat-proxy"]
