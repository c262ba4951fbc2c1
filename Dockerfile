# syntax=docker/dockerfile:1
# The standalone Sockeye server as a container image (docs/deployment.md#container-image):
#   docker build -t sockeye .
#   docker run -p 3000:3000 -e SOCKEYE_API_KEY=secret-key sockeye
# It is the image that `mvn -P image ... jib:build` makes without a daemon (sockeye-server/pom.xml): the
# same /app layout, entry point, user, port and environment; the tests compare the two.

# ---- build: the server's classes and its runtime class path, as bin/sockeye uses them ----
FROM maven:3.9-eclipse-temurin-21 AS build
# Node.js bundles the demo page's socket.io-client at build time (sockeye-server/src/main/web).
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# One RUN: the class path names jars in the Maven cache, which only this step sees. Jib's layout:
# dependencies in /app/libs, resources and classes apart, and the class path, in Maven's order, in
# /app/jib-classpath-file (a java @argument file).
RUN --mount=type=cache,target=/var/cache/maven set -eu; \
    mvn -B -ntp -q -Dmaven.repo.local=/var/cache/maven -DskipTests install -pl sockeye-server -am; \
    mkdir -p /app/libs /app/resources /app/classes; \
    cd sockeye-server/target/classes; \
    find . -type f -name '*.class' -exec cp --parents {} /app/classes/ \; ; \
    find . -type f ! -name '*.class' -exec cp --parents {} /app/resources/ \; ; \
    classpath=/app/resources:/app/classes; \
    for jar in $(tr ':' ' ' < ../sockeye-runtime.classpath); do \
      cp "$jar" /app/libs/; classpath="$classpath:/app/libs/$(basename "$jar")"; \
    done; \
    printf '%s\n' "$classpath" > /app/jib-classpath-file

# ---- run: a JRE, no build tools ----
FROM eclipse-temurin:21-jre
COPY --from=build /app /app
ENV SOCKEYE_PORT=3000
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# Numeric, so that Kubernetes' runAsNonRoot can check it.
USER 10001:10001
WORKDIR /app
EXPOSE 3000
# Liveness only: /readyz turns 503 while draining, which must not mark the container unhealthy.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${SOCKEYE_PORT}/healthz" > /dev/null || exit 1
ENTRYPOINT ["java", "-cp", "@/app/jib-classpath-file", "io.sockeye.server.Main"]
