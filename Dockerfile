# beian in a container: a static binary (pure-Go SQLite, CGO_ENABLED=0) on a distroless base, run as a non-root
# user. docs/operations.md explains the configuration; compose.yaml runs PostgreSQL and two nodes.
#
#   docker build -t beian .
#   docker run -p 8080:8080 -v beian-data:/data beian          # demo mode, SQLite in the volume

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/beian ./cmd/beian \
 && mkdir -p /out/data

# distroless/static: CA certificates and time zones, no shell; uid 65532 (nonroot).
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/beian /usr/local/bin/beian
COPY --from=build --chown=65532:65532 /out/data /data
ENV BEIAN_ADDR=0.0.0.0:8080 \
    BEIAN_DATA_DIR=/data
USER 65532:65532
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=6s --start-period=30s \
  CMD ["/usr/local/bin/beian", "probe", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/beian"]
CMD ["serve"]
