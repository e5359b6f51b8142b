#!/usr/bin/env bash
# Prints the path of a wrapper that runs Temporal's Java time-skipping test server,
# resolving it from Maven Central once and caching the classpath.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
version=1.32.1
wrapper="$SKILLFLOW_CACHE/bin/temporal-test-server-$version"
if [ ! -x "$wrapper" ]; then
  need java "Java is missing: install a JDK 11 or newer (Debian: apt-get install -y default-jdk) for Temporal's time-skipping test server."
  need mvn "Maven is missing: install it (Debian: apt-get install -y maven) to fetch Temporal's time-skipping test server."
  work="$(mktemp -d)"
  cat > "$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>skillflow</groupId><artifactId>test-server-classpath</artifactId><version>1</version>
  <dependencies>
    <dependency><groupId>io.temporal</groupId><artifactId>temporal-test-server</artifactId><version>$version</version></dependency>
  </dependencies>
</project>
POM
  echo "skillflow: resolving the Temporal test server $version from Maven Central (first run only)..." >&2
  (cd "$work" && mvn -q -B dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >&2)
  cp="$(cat "$work/cp.txt")"
  [ -n "$cp" ] || die "could not resolve io.temporal:temporal-test-server:$version"
  printf '#!/bin/sh\nexec java -cp "%s" io.temporal.testserver.TestServer "$@"\n' "$cp" > "$wrapper.tmp"
  chmod +x "$wrapper.tmp"; mv "$wrapper.tmp" "$wrapper"
  rm -rf "$work"
fi
echo "$wrapper"
