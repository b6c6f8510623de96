package org.diffuse4j.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.diffuse4j.acceptance.BadInputs.tiny;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.diffuse4j.acceptance.BadInputs.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad manifests (unknown keys, wrong types, out-of-range values, cross-section conflicts, YAML
 * defects): {@code validate} and {@code run} both reject each one before any work, with the same
 * message naming the key (or the file) and the fix, and {@code run} creates nothing.
 */
class ManifestFuzzTest {
  @TempDir Path tmp;

  private Path out() {
    return tmp.resolve("out");
  }

  @Test
  void theTinyManifestIsValid() {
    Path m = BadInputs.write(tmp, tiny().text(out()));
    Cli c = Cli.run("validate", m.toString());
    assertThat(c.code()).as(c.err()).isZero();
    assertThat(c.out()).contains("# manifest is valid");
  }

  static Stream<Arguments> keys() {
    return Stream.of(
        arguments(tiny().raw("sampeling: {steps: 2}"), new String[] {"'sampeling'", "did you mean 'sampling'"}),
        arguments(tiny().set("training", "{stepz: 5, batch_size: 8, lr: 0.01}"), new String[] {"'training.stepz'", "did you mean 'steps'"}),
        arguments(tiny().set("sampling", "{sover: euler, steps: 2, n: 8}"), new String[] {"'sampling.sover'", "did you mean 'solver'"}),
        arguments(tiny().set("output", "{dri: OUT}"), new String[] {"'output.dri'", "did you mean 'dir'"}),
        arguments(tiny().set("network", "{name: mlp, widht: 8}"), new String[] {"'network.widht'", "did you mean 'width'"}),
        arguments(tiny().set("objective", "{name: flow-matching, time: {name: uniform, t_mn: 0.1}}"),
            new String[] {"'objective.time.t_mn'", "did you mean 't_min'"}),
        arguments(tiny().set("objective", "{name: flow-matching, time: {name: logit-normal, meen: 0}}"),
            new String[] {"'objective.time.meen'", "allowed keys: m, s"}),
        arguments(tiny().set("parameterisation", "eps").set("schedule", "vp")
                .set("objective", "{name: denoising, weighting: {name: min-snr, gama: 5}}"),
            new String[] {"'objective.weighting.gama'", "did you mean 'gamma'"}),
        arguments(tiny().set("schedule", "{name: shifted, base: {name: vp, beta_mx: 20}}"),
            new String[] {"'schedule.base.beta_mx'", "did you mean 'beta_max'"}),
        arguments(tiny().set("guidance", "{name: stack, of: [cfg, {name: dynamic-thresholding, percentil: 0.9}]}"),
            new String[] {"'guidance.of[1].percentil'", "did you mean 'percentile'"}),
        arguments(tiny().set("sampling", "{solver: euler_a, steps: 2, n: 8}"), new String[] {"'euler_a'", "did you mean 'euler-ancestral'"}),
        arguments(tiny().set("objective", "{name: flow-matching, time: logit_normal}"),
            new String[] {"'objective.time'", "did you mean 'logit-normal'"}),
        arguments(tiny().set("schedule", "rectified_flow"), new String[] {"'schedule'", "did you mean 'rectified-flow'"}),
        arguments(tiny().set("schedule", "{name: shifted, base: vp_cosine}"), new String[] {"'schedule.base'", "did you mean 'vp-cosine'"}),
        arguments(tiny().set("network", "{width: 8}"), new String[] {"'network.name'", "say which plugin"}),
        arguments(tiny().remove("data"), new String[] {"missing required key 'data'"}),
        arguments(tiny().set("data", "two_moons"), new String[] {"two_moons", "two-moons"}),
        arguments(tiny().set("sampling", "{solver: banana, steps: 2, n: 8}"), new String[] {"unknown solver 'banana'", "available:"}));
  }

  static Stream<Arguments> types() {
    return Stream.of(
        arguments(tiny().set("training", "{steps: five}"), new String[] {"'training.steps'", "expected an integer", "five"}),
        arguments(tiny().set("training", "{steps: 5, lr: fast}"), new String[] {"'training.lr'", "expected a number", "fast"}),
        arguments(tiny().set("sampling", "{steps: 2.5, n: 8}"), new String[] {"'sampling.steps'", "expected an integer", "2.5"}),
        arguments(tiny().set("training", "{steps: 5, ema_warmup: maybe}"), new String[] {"'training.ema_warmup'", "true or false"}),
        arguments(tiny().set("output", "{dir: [a, b]}"), new String[] {"'output.dir'", "expected a string"}),
        arguments(tiny().set("training", "[1, 2]"), new String[] {"'training'", "map of options"}),
        arguments(tiny().set("precision", "float16"), new String[] {"'precision'", "float32"}),
        arguments(tiny().set("training", "{steps: 5, optimizer: adamm}"), new String[] {"'training.optimizer'", "allowed values: adam, adamw"}),
        arguments(tiny().set("sampling", "{grid: {name: explicit, times: abc}, steps: 2, n: 8}"),
            new String[] {"'sampling.grid.times[0]'", "expected a number"}),
        arguments(tiny().set("seed", "zero"), new String[] {"'seed'", "expected an integer"}),
        arguments(tiny().set("network", "{name: mlp, width: [8]}"), new String[] {"'network.width'", "a list"}),
        arguments(tiny().set("guidance", "{name: stack, of: cfg}"), new String[] {"'guidance.of'", "non-empty list"}));
  }

  static Stream<Arguments> ranges() {
    return Stream.of(
        arguments(tiny().set("sampling", "{steps: 0, n: 8}"), new String[] {"'sampling.steps'", "out of range", "[1, 100000]"}),
        arguments(tiny().set("training", "{steps: 5, batch_size: 0}"), new String[] {"'training.batch_size'", "out of range"}),
        arguments(tiny().set("seed", "-1"), new String[] {"'seed'", "[0, 9223372036854775807]"}),
        arguments(tiny().set("seed", "9223372036854775808"), new String[] {"'seed'", "9223372036854775808", "[0, 9223372036854775807]"}),
        arguments(tiny().set("seed", "1e19"), new String[] {"'seed'", "[0, 9223372036854775807]"}),
        arguments(tiny().set("training", "{steps: 5, ema: 1}"), new String[] {"training", "ema must be below 1"}),
        arguments(tiny().set("training", "{steps: 5, lr: -0.1}"), new String[] {"'training.lr'", "out of range"}),
        arguments(tiny().set("training", "{steps: 5, weight_decay: 2}"), new String[] {"'training.weight_decay'", "[0, 1]"}),
        arguments(tiny().set("sampling", "{steps: 2, n: 0}"), new String[] {"'sampling.n'", "out of range"}),
        arguments(tiny().set("network", "{name: mlp, width: 0}"), new String[] {"'network.width'", "out of range"}),
        arguments(tiny().set("guidance", "{name: cfg, scale: -1}"), new String[] {"'guidance.scale'", "out of range"}),
        arguments(tiny().set("objective", "{name: flow-matching, time: {name: uniform, t_min: 2}}"),
            new String[] {"'objective.time.t_min'", "[0, 1]"}),
        arguments(tiny().set("output", "{dir: OUT, projections: 0}"), new String[] {"'output.projections'", "out of range"}),
        arguments(tiny().set("sampling", "{steps: 2, n: 8, label: -2}"), new String[] {"label", "-1 (unconditional)"}));
  }

  static Stream<Arguments> crossChecks() {
    String conditional = "{name: mlp, width: 8, depth: 1, time_embedding: 4, num_classes: 2}";
    return Stream.of(
        arguments(tiny().set("sampling", "{grid: {name: uniform, t_max: 0.1, t_min: 0.5}, steps: 2, n: 8}"),
            new String[] {"'sampling.grid'", "t_max > t_min", "t_max=0.1"}),
        arguments(tiny().set("sampling", "{grid: {name: karras, t_max: 0.2, t_min: 0.6}, steps: 2, n: 8}"),
            new String[] {"'sampling.grid'", "karras", "t_max > t_min"}),
        arguments(tiny().set("sampling", "{grid: {name: quadratic, t_max: 1.5}, steps: 2, n: 8}"),
            new String[] {"'sampling.grid.t_max'", "out of range"}),
        arguments(tiny().set("sampling", "{grid: {name: explicit, times: [1.0, 0.5, 0.2, 0.0]}, steps: 2, n: 8}"),
            new String[] {"'sampling.grid'", "sampling.steps=2", "need 3 values", "has 4"}),
        arguments(tiny().set("sampling", "{grid: {name: explicit, times: [0.5, 1.0, 0.0]}, steps: 2, n: 8}"),
            new String[] {"'sampling.grid'", "decrease", "t[1] = 1.0"}),
        arguments(tiny().set("sampling", "{grid: {name: explicit, times: [1.0, 0.5, 0.5]}, steps: 2, n: 8}"),
            new String[] {"'sampling.grid'", "decrease", "t[2] = 0.5"}),
        arguments(tiny().set("sampling", "{grid: {name: explicit, times: [1.0, 0.5], to_zero: true}, steps: 3, n: 8}"),
            new String[] {"'sampling.grid'", "need 3 values (plus the final 0)"}),
        arguments(tiny().set("sampling", "{solver: rk45, steps: 2, n: 8}"), new String[] {"'sampling.solver'", "rk45", "eager", "dopri5"}),
        arguments(tiny().set("sampling", "{solver: {name: rk45, rtol: 0.01}, steps: 2, n: 8}"), new String[] {"'sampling.solver'", "eager"}),
        arguments(tiny().set("guidance", "cfg"), new String[] {"guidance 'cfg'", "network.num_classes: 0"}),
        arguments(tiny().set("guidance", "apg").set("sampling", "{steps: 2, n: 8, label: 0}"),
            new String[] {"guidance 'apg'", "network.num_classes: 0"}),
        arguments(tiny().set("guidance", "{name: cfg-plus-plus, scale: 0.5}").set("sampling", "{steps: 2, n: 8, label: 1}"),
            new String[] {"guidance 'cfg-plus-plus'", "network.num_classes"}),
        arguments(tiny().set("guidance", "{name: rectified-cfg}").set("sampling", "{steps: 2, n: 8, label: 0}"),
            new String[] {"guidance 'rectified-cfg'", "unconditional"}),
        arguments(tiny().set("guidance", "{name: stack, of: [cfg, dynamic-thresholding]}").set("sampling", "{steps: 2, n: 8, label: 0}"),
            new String[] {"guidance 'stack'", "network.num_classes: 0"}),
        arguments(tiny().set("sampling", "{steps: 2, n: 8, label: 0}"), new String[] {"'sampling.label'", "class-conditional network"}),
        arguments(tiny().set("sampling", "{steps: 2, n: 8, label: all}"), new String[] {"'all' for 'sampling.label'", "no labels"}),
        arguments(tiny().set("network", conditional).set("sampling", "{steps: 2, n: 8, label: 5}"),
            new String[] {"sampling.label 5", "classes are 0 … 1"}),
        arguments(tiny().set("training", "{steps: 5, lr: 0}"), new String[] {"'training.lr'", "> 0"}),
        arguments(tiny().set("training", "{steps: 5, lr: 0.01, warmup: 6}"), new String[] {"'training.warmup'", "at most 5"}),
        arguments(tiny().set("training", "{steps: 5, lr: 0.01, schedule: cosine, min_lr: 0.1}"), new String[] {"min_lr", "must not exceed lr"}),
        arguments(tiny().set("output", "{dir: ''}"), new String[] {"'output.dir' is empty"}),
        arguments(tiny().set("output", "{dir: '   '}"), new String[] {"'output.dir' is empty"}),
        arguments(tiny().set("sampling", "{steps: 2, n: 8, init: no-such-noise.npy}"), new String[] {"sampling.init", "no-such-noise.npy", "not found"}),
        arguments(tiny().set("sampling", "{steps: 2, n: 8, init: ''}"), new String[] {"'sampling.init' is empty"}),
        arguments(tiny().set("guidance", "{name: cfg, t_lo: 0.8, t_hi: 0.2}"), new String[] {"guidance", "t_lo = 0.8 > t_hi = 0.2"}),
        arguments(tiny().set("schedule", "{name: vp, beta_min: 5, beta_max: 1}"), new String[] {"'schedule'", "beta_max"}));
  }

  static Stream<Arguments> yamlDefects() {
    return Stream.of(
        arguments(tiny().raw("seed: 1"), new String[] {"m.yaml", "'seed' is given twice", "line"}),
        arguments(tiny().set("training", "{steps: 5, lr: 0.01, steps: 6}"), new String[] {"m.yaml", "'steps' is given twice"}),
        arguments(tiny().set("network", "{name: mlp, width: 8, name: unet}"), new String[] {"m.yaml", "'name' is given twice"}),
        arguments(tiny().raw("---").raw("seed: 3"), new String[] {"m.yaml", "several YAML documents", "'---'"}),
        arguments(tiny().raw("---"), new String[] {"m.yaml", "several YAML documents"}),
        arguments(tiny().set("seed", ".inf"), new String[] {"m.yaml", "not valid YAML", "line 9"}),
        arguments(tiny().set("training", "{steps: 5, lr: 0.01"), new String[] {"m.yaml", "not valid YAML"}),
        arguments(tiny().raw("\tseed: 1"), new String[] {"m.yaml", "not valid YAML"}),
        arguments(tiny().raw("- a list item"), new String[] {"m.yaml", "not valid YAML"}));
  }

  static Stream<Arguments> rawFiles() {
    byte[] latin1 = "data: two-moons # caf\u00e9\nseed: 0\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] garbage = new byte[256];
    for (int i = 0; i < garbage.length; i++) {
      garbage[i] = (byte) (0x80 + (i * 37) % 128);
    }
    return Stream.of(
        arguments("latin-1", latin1, new String[] {"m.yaml", "not UTF-8", "line 1"}),
        arguments("binary", garbage, new String[] {"m.yaml", "not UTF-8", "offset 0"}),
        arguments("empty", new byte[0], new String[] {"m.yaml", "is empty"}),
        arguments("comments only", "# nothing here\n\n".getBytes(StandardCharsets.UTF_8), new String[] {"m.yaml", "is empty"}),
        arguments("a list", "- data\n- seed\n".getBytes(StandardCharsets.UTF_8), new String[] {"m.yaml", "must be a map"}),
        arguments("a scalar", "two-moons\n".getBytes(StandardCharsets.UTF_8), new String[] {"m.yaml", "must be a map"}),
        arguments("utf-16", "data: two-moons\n".getBytes(StandardCharsets.UTF_16LE), new String[] {"m.yaml"}));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("keys")
  void unknownKeysAndPlugins(Manifest m, String[] parts) {
    assertBothReject(m, parts);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("types")
  void wrongTypes(Manifest m, String[] parts) {
    assertBothReject(m, parts);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("ranges")
  void outOfRange(Manifest m, String[] parts) {
    assertBothReject(m, parts);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("crossChecks")
  void crossSectionChecks(Manifest m, String[] parts) {
    assertBothReject(m, parts);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("yamlDefects")
  void yamlDefects(Manifest m, String[] parts) {
    assertBothReject(m, parts);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("rawFiles")
  void filesThatAreNotAManifest(String what, byte[] bytes, String[] parts) {
    Path file = BadInputs.write(tmp, bytes);
    BadInputs.assertBothReject(tmp, out(), file, List.of(), parts);
  }

  @Test
  void aMissingManifestOrAFolderIsNamed() throws Exception {
    BadInputs.assertBothReject(tmp, out(), tmp.resolve("nope.yaml"), List.of(), "nope.yaml", "not found");
    Path folder = Files.createDirectory(tmp.resolve("folder.yaml"));
    BadInputs.assertBothReject(tmp, out(), folder, List.of(), "folder.yaml", "not found");
  }

  private void assertBothReject(Manifest m, String[] parts) {
    Path file = BadInputs.write(tmp, m.text(out()));
    BadInputs.assertBothReject(tmp, out(), file, List.of(), parts);
  }
}
