# beian in a container: a static binary (pure-Go SQLite, CGO_ENABLED=0) on Debian slim with Tesseract, run as a
# non-root user. docs/operations.md explains the configuration; compose.yaml runs PostgreSQL and two nodes.
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

# The binary needs nothing but the kernel; the runtime image adds Tesseract with the simplified Chinese data, which
# reads uploaded credentials (BEIAN_OCR=auto uses it when present), CA certificates and time zones.
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-chi-sim ca-certificates tzdata \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin beian
COPY --from=build /out/beian /usr/local/bin/beian
COPY --from=build --chown=10001:10001 /out/data /data
ENV BEIAN_ADDR=0.0.0.0:8080 \
    BEIAN_DATA_DIR=/data
USER 10001:10001
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=10s --timeout=6s --start-period=30s \
  CMD ["/usr/local/bin/beian", "probe", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["/usr/local/bin/beian"]
CMD ["serve"]
