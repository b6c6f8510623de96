# Sourced by the bench scripts, from the project root: `source bench/private-classpath.sh RUNS_DIR`.
# Builds the experiments module (bench/experiments: the study drivers, with the CLI, the runtime and
# the plugins as dependencies) once (serialised with other builds through /tmp/runtime.lock), then
# copies its classes and the project's own jars into RUNS_DIR, so that a concurrent rebuild or `mvn install`
# cannot change the code under a running study. Defines $cp (the class path) and d4j (the CLI).
private_runs="$1"
# shellcheck disable=SC2206
maven_args=(${DIFFUSE4J_MAVEN_ARGS:-})   # e.g. -Pgpu (docs/benchmarks.md, "On a GPU machine")
if [[ ! -d "$private_runs/classes" ]]; then
  flock /tmp/runtime.lock mvn -B -q "${maven_args[@]}" -pl bench/experiments -am install -DskipTests
  mkdir -p "$private_runs/jars"
  mvn -B -q "${maven_args[@]}" -pl bench/experiments dependency:build-classpath -DincludeScope=runtime -Dmdep.outputFile="$private_runs/classpath.txt"
  tr ':' '\n' <"$private_runs/classpath.txt" | while read -r jar; do
    case "$jar" in
      */org/diffuse4j/*) cp "$jar" "$private_runs/jars/" && echo "$private_runs/jars/$(basename "$jar")" ;;
      *) echo "$jar" ;;
    esac
  done | paste -sd: >"$private_runs/classpath.private"
  cp -r bench/experiments/target/classes "$private_runs/classes"
fi
cp="$private_runs/classes:$(cat "$private_runs/classpath.private")"
d4j() { TF_CPP_MIN_LOG_LEVEL=2 java -Djava.awt.headless=true -cp "$cp" org.diffuse4j.cli.Main "$@"; }
