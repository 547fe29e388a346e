# stancegraph as a static binary on a minimal, non-root image.
#   docker build -t stancegraph .
#   docker run -p 8080:8080 -v stancegraph-data:/data stancegraph   # embedded store in a volume, seeded
#   docker run -e NEO4J_URI=bolt://neo4j:7687 ...        # on Neo4j
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/stancegraph ./cmd/stancegraph \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/stancegraph /usr/local/bin/stancegraph
COPY --from=build --chown=nonroot:nonroot /out/data /data
USER nonroot:nonroot
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/stancegraph"]
CMD ["serve", "--addr", ":8080", "--data", "/data"]
