package org.diffuse4j.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.diffuse4j.api.io.Npy;
import org.diffuse4j.runtime.TestRuns.Call;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleCommandTest {
  @TempDir Path tmp;

  private Path trained(String name, String... sets) throws Exception {
    Path m = TestRuns.manifest(tmp, TestRuns.TINY);
    Path run = tmp.resolve(name);
    String[] args = Stream.concat(Stream.of("run", m.toString(), "--out", run.toString()),
        Stream.of(sets).flatMap(s -> Stream.of("--set", s))).toArray(String[]::new);
    Call c = TestRuns.cli(args);
    assertThat(c.code()).as(c.err()).isZero();
    return run;
  }

  @Test
  void samplesAgainWithOtherSettingsIntoANewFolderWithoutTouchingTheRun() throws Exception {
    Path run = trained("run");
    List<String> own = List.of("manifest.yaml", "samples.npy", "metrics.json", "samples.png", "run.log", "checkpoint/state.json");
    byte[][] before = new byte[own.size()][];
    for (int i = 0; i < own.size(); i++) {
      before[i] = Files.readAllBytes(run.resolve(own.get(i)));
    }

    Call c = TestRuns.cli("sample", run.toString(), "--set", "sampling.steps=3", "--set", "sampling.n=50");
    assertThat(c.code()).as(c.err()).isZero();
    Path out = run.resolve("samples/test-euler-uniform-3");
    assertThat(c.out()).contains(out.toString());
    assertThat(Npy.read(out.resolve("samples.npy")).shape()).containsExactly(50, 2);
    assertThat(new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("nfe").asInt()).isEqualTo(3);
    assertThat(out.resolve("samples.png")).isRegularFile();
    assertThat(Files.readString(out.resolve("manifest.yaml"))).contains("steps: 3", "\"n\": 50");
    for (int i = 0; i < own.size(); i++) {
      assertThat(Files.readAllBytes(run.resolve(own.get(i)))).as("the run's %s is untouched", own.get(i)).isEqualTo(before[i]);
    }

    Call again = TestRuns.cli("sample", run.toString(), "--set", "sampling.steps=3", "--set", "sampling.n=50");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(Npy.read(run.resolve("samples/test-euler-uniform-3-2/samples.npy")).data())
        .as("same settings, same samples, a new folder").containsExactly(Npy.read(out.resolve("samples.npy")).data());
  }

  @Test
  void refusesToChangeTrainingOrAMissingRunFolder() throws Exception {
    Path run = trained("run");
    Call training = TestRuns.cli("sample", run.toString(), "--set", "training.steps=100");
    assertThat(training.code()).isEqualTo(2);
    assertThat(training.err()).contains("only changes sampling", "use 'run' to retrain");
    Call missing = TestRuns.cli("sample", tmp.resolve("nothing").toString());
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.err()).contains("not a run folder");
    assertThat(run.resolve("samples")).doesNotExist();
  }

  @Test
  void neverTrainsAnUnfinishedRunButSaysHowToFinishIt() throws Exception {
    Path run = trained("run", "training.steps=10");
    Path manifest = run.resolve("manifest.yaml");
    // as a 'run --resume --set training.steps=30' killed after it wrote the manifest leaves it
    Files.writeString(manifest, Files.readString(manifest).replace("steps: 10", "steps: 30"));
    String state = Files.readString(run.resolve("checkpoint/state.json"));
    Call c = TestRuns.cli("sample", run.toString());
    assertThat(c.code()).isEqualTo(2);
    assertThat(c.err()).contains("unfinished", "step 10 of 30", "--resume");
    assertThat(Files.readString(run.resolve("checkpoint/state.json"))).isEqualTo(state);
    assertThat(run.resolve("samples")).doesNotExist();

    Call resumed = TestRuns.cli("run", manifest.toString(), "--out", run.toString(), "--resume");
    assertThat(resumed.code()).as(resumed.err()).isZero();
    Call s = TestRuns.cli("sample", run.toString(), "--name", "finished");
    assertThat(s.code()).as(s.err()).isZero();
    assertThat(new ObjectMapper().readTree(run.resolve("samples/finished/metrics.json").toFile()).get("train_steps").asInt())
        .isEqualTo(30);
  }

  @Test
  void anExistingOutFolderIsRefusedAndWithForceMovedAsideNotDeleted() throws Exception {
    Path run = trained("run");
    Path out = Files.createDirectories(tmp.resolve("mine"));
    Files.writeString(out.resolve("notes.txt"), "keep me");
    Call refused = TestRuns.cli("sample", run.toString(), "--out", out.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("exists", "--force");
    assertThat(Files.readString(out.resolve("notes.txt"))).isEqualTo("keep me");

    Call forced = TestRuns.cli("sample", run.toString(), "--out", out.toString(), "--force");
    assertThat(forced.code()).as(forced.err()).isZero();
    assertThat(out.resolve("samples.npy")).isRegularFile();
    try (Stream<Path> s = Files.list(tmp)) {
      Path aside = s.filter(p -> p.getFileName().toString().startsWith("mine.replaced-")).findFirst().orElseThrow();
      assertThat(Files.readString(aside.resolve("notes.txt"))).isEqualTo("keep me");
      assertThat(forced.out()).contains(aside.toString());
    }
  }
}
