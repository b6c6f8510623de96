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
 * Bad {@code --set} overrides (malformed key paths, missing '=' or value, bad YAML values, unknown
 * keys): {@code validate} and {@code run} reject each alike, naming the override and the fix.
 */
class SetFuzzTest {
  @TempDir Path tmp;

  static Stream<Arguments> overrides() {
    return Stream.of(
        arguments(List.of("--set", "..=1"), new String[] {"--set '..=1'", "not a key path"}),
        arguments(List.of("--set", "=3"), new String[] {"--set '=3'", "no key before '='"}),
        arguments(List.of("--set", "a..b=1"), new String[] {"'a..b'", "no empty part"}),
        arguments(List.of("--set", ".seed=1"), new String[] {"'.seed'", "not a key path"}),
        arguments(List.of("--set", "seed.=1"), new String[] {"'seed.'", "not a key path"}),
        arguments(List.of("--set", "sampling steps=3"), new String[] {"'sampling steps'", "not a key path"}),
        arguments(List.of("--set", "sampling.grid.times[0]=1"), new String[] {"'sampling.grid.times[0]'", "not a key path"}),
        arguments(List.of("--set", "sampling.steps"), new String[] {"--set 'sampling.steps' has no '='", "sampling.steps=20"}),
        arguments(List.of("--set", "sampling.steps", "20"), new String[] {"--set 'sampling.steps' has no '='", "--set sampling.steps=20"}),
        arguments(List.of("--set", "sampling.steps="), new String[] {"'sampling.steps='", "no value after '='"}),
        arguments(List.of("--set", "sampling.steps=  "), new String[] {"no value after '='"}),
        arguments(List.of("--set", "sampling.steps=[1,"), new String[] {"--set sampling.steps=[1,", "not valid YAML"}),
        arguments(List.of("--set", "network={name: mlp, name: unet}"), new String[] {"--set network=", "'name' is given twice"}),
        arguments(List.of("--set", "seed=1\n---\n2"), new String[] {"--set seed=", "several YAML documents"}),
        arguments(List.of("--set", "sampling.sover=heun"), new String[] {"'sampling.sover'", "did you mean 'solver'"}),
        arguments(List.of("--set", "samplng.steps=3"), new String[] {"'samplng'", "did you mean 'sampling'"}),
        arguments(List.of("--set", "sampling.solver=euler_a"), new String[] {"'euler_a'", "did you mean 'euler-ancestral'"}),
        arguments(List.of("--set", "sampling.solver=dopri"), new String[] {"'dopri'", "did you mean 'dopri5'"}),
        arguments(List.of("--set", "sampling.steps=abc"), new String[] {"'sampling.steps'", "expected an integer", "abc"}),
        arguments(List.of("--set", "sampling.steps=3=4"), new String[] {"'sampling.steps'", "3=4"}),
        arguments(List.of("--set", "seed={}"), new String[] {"'seed'", "expected an integer", "a map"}),
        arguments(List.of("--set", "training.steps.x=1"), new String[] {"'training.steps'", "expected an integer", "a map"}),
        arguments(List.of("--set", "objective={name: flow-matching, time: {name: uniform, meen: 1}}"), new String[] {"'objective.time.meen'", "allowed keys"}),
        arguments(List.of("--set"), new String[] {"--set"}));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("overrides")
  void badOverridesAreRejectedBeforeAnyWork(List<String> args, String[] parts) {
    Path m = BadInputs.write(tmp, BadInputs.tiny().text(tmp.resolve("out")));
    BadInputs.assertBothReject(tmp, tmp.resolve("out"), m, args, parts);
  }
}
