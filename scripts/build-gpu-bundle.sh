#!/usr/bin/env bash
# Builds the gpu-check bundle: target/gpu-check/ and target/gpu-check.tar.gz (< 64 MiB), holding a
# jlink'ed Java runtime, the compute/algorithms jars with their test-jars, the test and logging jars,
# LWJGL's natives unpacked (no extraction at run time), and gpu-check.sh. Needs JDK 17 + Maven here;
# the target machine needs neither. Usage: scripts/build-gpu-bundle.sh [linux x86_64 only for now]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIST="$ROOT/target/gpu-check"
rm -rf "$DIST" "$ROOT/target/gpu-check.tar.gz"
mkdir -p "$DIST/lib" "$DIST/natives"

cd "$ROOT"
mvn -q -pl compute,render -am -DskipTests package dependency:copy-dependencies \
    -DincludeScope=test -DexcludeArtifactIds=archunit,archunit-junit5,archunit-junit5-api,archunit-junit5-engine,archunit-junit5-engine-api,byte-buddy \
    -DoutputDirectory="$DIST/lib"
cp algorithms/target/algorithms-*.jar compute/target/compute-*.jar render/target/render-*.jar "$DIST/lib/"
# the shared data sets the suites read (Cora, the stories260K checkpoint, NeRF views, ...): about 16 MB
DATA="${WORKBENCH_DATA:-$ROOT/../shared/data}"
if [ -d "$DATA" ]; then cp -r "$DATA" "$DIST/data"; else echo "build-gpu-bundle: no data folder at $DATA; suites fall back to generated data" >&2; fi
# the logback-test.xml of the build is not in the test-jar: ship a quiet console config
mkdir -p "$DIST/lib/config"
cat > "$DIST/lib/config/logback.xml" <<'XML'
<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss} %-5level %logger{20} - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.mlsysworkbench" level="INFO"/>
  <root level="WARN"><appender-ref ref="OUT"/></root>
</configuration>
XML
(cd "$DIST/lib/config" && "${JAVA_HOME:+$JAVA_HOME/bin/}jar" cf ../bundle-config.jar logback.xml) && rm -rf "$DIST/lib/config"

# LWJGL natives unpacked once (STYLE rule 33); the natives jars are then not needed
for j in "$DIST"/lib/lwjgl*-natives-linux.jar; do
  unzip -q -o -j "$j" 'linux/x64/org/lwjgl/*.so' 'linux/x64/org/lwjgl/*/*.so' -d "$DIST/natives" 2>/dev/null || true
  rm "$j"
done
rm -f "$DIST"/lib/*shaderc*   # build-time only
# not used by the GPU checks and too large for a 64 MiB bundle: ND4J (an optional backend) with its
# natives and shaded dependencies, and DuckDB (the trace bench's SQL engine)
rm -f "$DIST"/lib/nd4j-* "$DIST"/lib/openblas-* "$DIST"/lib/javacpp-* "$DIST"/lib/*-1.0.0-M2.1.jar \
      "$DIST"/lib/duckdb_jdbc-* "$DIST"/lib/flatbuffers-* "$DIST"/lib/oshi-* "$DIST"/lib/jna-*

JLINK="${JAVA_HOME:+$JAVA_HOME/bin/}jlink"
"$JLINK" --add-modules java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.unsupported,jdk.crypto.ec,jdk.zipfs \
    --strip-debug --no-header-files --no-man-pages --compress=2 --output "$DIST/runtime"

cp scripts/gpu-check.sh "$DIST/"
cp docs/gpu-check.md "$DIST/README.md"
tar -C "$ROOT/target" -czf "$ROOT/target/gpu-check.tar.gz" gpu-check
du -sh "$DIST" "$ROOT/target/gpu-check.tar.gz"
