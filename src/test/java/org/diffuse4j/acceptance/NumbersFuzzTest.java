package org.diffuse4j.acceptance;

import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Non-finite and overflowing numbers for every kind of numeric option (double, int, long, lists of
 * each, a plugin's option, an option of a nested plugin, a double whose default is Infinity), written
 * in the manifest and given with --set: rejected by {@code validate} and {@code run} alike, never
 * clamped or read as infinity, naming the key path and the allowed range.
 */
class NumbersFuzzTest {
  @TempDir Path tmp;

  static Stream<Arguments> numbers() {
    String longRange = "[0, 9223372036854775807]";
    return Stream.of(
        // double (training.lr, range [0, inf])
        arguments("training.lr", "Infinity", new String[] {"'training.lr'", "not a finite number"}),
        arguments("training.lr", "-Infinity", new String[] {"'training.lr'", "not a finite number"}),
        arguments("training.lr", "NaN", new String[] {"'training.lr'", "not a finite number"}),
        arguments("training.lr", "1e309", new String[] {"'training.lr'", "too large for a double"}),
        arguments("training.lr", "-1e309", new String[] {"'training.lr'", "too large for a double"}),
        arguments("training.lr", "\"1e400\"", new String[] {"'training.lr'", "1e400", "too large for a double"}),
        arguments("training.clip_norm", "inf", new String[] {"'training.clip_norm'", "not a finite number"}),
        // double with an infinite default: Infinity is the default, overflow and -Infinity are not
        arguments("guidance.t_hi", "1e309", new String[] {"'guidance.t_hi'", "write Infinity for no bound"}),
        arguments("guidance.t_hi", "-Infinity", new String[] {"'guidance.t_hi'", "not a finite number"}),
        arguments("guidance.scale", "NaN", new String[] {"'guidance.scale'", "not a finite number"}),
        // int (sampling.steps, range [1, 100000]; training.log_every, [1, 2^31 - 1])
        arguments("sampling.steps", "1e10", new String[] {"'sampling.steps'", "out of range", "[1, 100000]"}),
        arguments("sampling.steps", "Infinity", new String[] {"'sampling.steps'", "not a finite number"}),
        arguments("sampling.steps", "NaN", new String[] {"'sampling.steps'", "not a finite number"}),
        arguments("sampling.steps", "\"1e400\"", new String[] {"'sampling.steps'", "out of range"}),
        arguments("sampling.steps", "2.5", new String[] {"'sampling.steps'", "expected an integer"}),
        arguments("training.log_every", "2147483648", new String[] {"'training.log_every'", "[1, 2147483647]"}),
        arguments("training.log_every", "1e300", new String[] {"'training.log_every'", "[1, 2147483647]"}),
        // long (seed, sampling.seed, training.seed)
        arguments("seed", "1e19", new String[] {"'seed'", longRange}),
        arguments("seed", "9223372036854775808", new String[] {"'seed'", "9223372036854775808", longRange}),
        arguments("seed", "-9223372036854775809", new String[] {"'seed'", longRange}),
        arguments("seed", "\"1e400\"", new String[] {"'seed'", longRange}),
        arguments("seed", "Infinity", new String[] {"'seed'", "not a finite number"}),
        arguments("sampling.seed", "1e19", new String[] {"'sampling.seed'", "[-1, 9223372036854775807]"}),
        arguments("training.seed", "18446744073709551616", new String[] {"'training.seed'", "[-1, 9223372036854775807]"}),
        // list of doubles (an explicit grid), list of ints (a U-Net's channel multipliers)
        arguments("sampling.grid", "{name: explicit, times: [1.0, 1e309, 0.0]}", new String[] {"'sampling.grid.times[1]'", "too large"}),
        arguments("sampling.grid", "{name: explicit, times: [1.0, NaN, 0.0]}", new String[] {"'sampling.grid.times[1]'", "not a finite number"}),
        arguments("sampling.grid", "{name: explicit, sigmas: [Infinity, 1.0, 0.0]}", new String[] {"'sampling.grid.sigmas[0]'", "not a finite number"}),
        arguments("network", "{name: unet, channel_mult: [1, 2147483648]}", new String[] {"'network.channel_mult[1]'", "[1, 64]"}),
        // a plugin's option, and an option of a nested plugin
        arguments("schedule", "{name: vp, beta_max: Infinity}", new String[] {"'schedule.beta_max'", "not a finite number"}),
        arguments("objective", "{name: flow-matching, time: {name: logit-normal, m: 1e309}}", new String[] {"'objective.time.m'", "too large"}),
        arguments("objective", "{name: flow-matching, time: {name: discrete, steps: 1e10}}", new String[] {"'objective.time.steps'", "out of range"}),
        arguments("schedule", "{name: shifted, base: {name: vp, beta_min: -Infinity}}", new String[] {"'schedule.base.beta_min'", "not a finite number"}));
  }

  @ParameterizedTest(name = "[{index}] --set {0}={1}")
  @MethodSource("numbers")
  void givenWithSet(String key, String value, String[] parts) {
    Path m = BadInputs.write(tmp, BadInputs.tiny().text(tmp.resolve("out")));
    String set = key.startsWith("guidance.") ? "guidance={name: cfg, " + key.substring(9) + ": " + value + "}" : key + "=" + value;
    BadInputs.assertBothReject(tmp, tmp.resolve("out"), m, List.of("--set", set), parts);
  }

  @ParameterizedTest(name = "[{index}] {0}: {1} in the manifest")
  @MethodSource("numbers")
  void writtenInTheManifest(String key, String value, String[] parts) {
    String[] path = key.split("\\.");
    BadInputs.Manifest m = BadInputs.tiny();
    if (path.length == 1) {
      m.set(key, value);
    } else if (path[0].equals("guidance")) {
      m.set("guidance", "{name: cfg, " + path[1] + ": " + value + "}");
    } else if (path[0].equals("training")) {
      m.set("training", "{steps: 5, batch_size: 8, " + (path[1].equals("lr") ? "" : "lr: 0.01, ") + path[1] + ": " + value + "}");
    } else {
      m.set("sampling", "{solver: euler, n: 8, " + (path[1].equals("steps") ? "" : "steps: 2, ") + path[1] + ": " + value + "}");
    }
    Path file = BadInputs.write(tmp, m.text(tmp.resolve("out")));
    BadInputs.assertBothReject(tmp, tmp.resolve("out"), file, List.of(), parts);
  }
}
