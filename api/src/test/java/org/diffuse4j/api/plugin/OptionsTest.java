package org.diffuse4j.api.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptionsTest {

  enum Variant { BH1, BH2, TRAILING_ZERO }

  record Opts(
      @Option(doc = "number of steps", def = "10", min = 1) int steps,
      @Option(doc = "stochasticity", def = "0", min = 0, max = 1) double eta,
      @Option(doc = "variant", def = "bh1") Variant variant,
      @Option(doc = "explicit times", def = "[]") double[] times,
      @Option(doc = "use the corrector", def = "true") boolean corrector,
      @Option(doc = "a label", def = "x") String label) {}

  record Required(@Option(doc = "the base schedule") Object base) {}

  @Test
  void defaultsApplyAndValuesConvert() {
    Opts o = Options.bind(Opts.class, Map.of("steps", 32, "eta", "0.5", "variant", "trailing-zero", "times", List.of(0.9, 0.5)), "sampling");
    assertThat(o.steps()).isEqualTo(32);
    assertThat(o.eta()).isEqualTo(0.5);
    assertThat(o.variant()).isEqualTo(Variant.TRAILING_ZERO);
    assertThat(o.times()).containsExactly(0.9, 0.5);
    assertThat(o.corrector()).isTrue();
    assertThat(Options.defaults(Opts.class).steps()).isEqualTo(10);
  }

  @Test
  void unknownKeyNamesPathAndClosestMatch() {
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("stpes", 3), "sampling"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("'sampling.stpes'")
        .hasMessageContaining("did you mean 'steps'?")
        .hasMessageContaining("allowed keys: steps, eta, variant, times, corrector, label");
  }

  @Test
  void outOfRangeNamesKeyAndRange() {
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("steps", -1), "sampling"))
        .hasMessageContaining("'sampling.steps'")
        .hasMessageContaining("[1, inf]");
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("eta", 1.5), ""))
        .hasMessageContaining("'eta'")
        .hasMessageContaining("[0, 1]");
  }

  @Test
  void wrongTypesAreNamed() {
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("steps", "many"), "s"))
        .hasMessageContaining("wrong type for 's.steps': expected an integer, got 'many'");
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("steps", 2.5), "s"))
        .hasMessageContaining("expected an integer");
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("corrector", "yes"), "s"))
        .hasMessageContaining("expected true or false");
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("label", Map.of("a", 1)), "s"))
        .hasMessageContaining("expected a string, got a map");
  }

  @Test
  void enumValuesAreListedWithSuggestion() {
    assertThatThrownBy(() -> Options.bind(Opts.class, Map.of("variant", "bh3"), "solver"))
        .hasMessageContaining("'solver.variant'")
        .hasMessageContaining("allowed values: bh1, bh2, trailing-zero");
  }

  @Test
  void requiredOptionsMustBeGiven() {
    assertThatThrownBy(() -> Options.bind(Required.class, Map.of(), "schedule"))
        .hasMessageContaining("missing required key 'schedule.base'");
    assertThat(Options.bind(Required.class, Map.of("base", "vp"), "").base()).isEqualTo("vp");
  }

  @Test
  void describeListsEveryOption() {
    List<Options.Spec> specs = Options.describe(Opts.class);
    assertThat(specs).extracting(Options.Spec::name).containsExactly("steps", "eta", "variant", "times", "corrector", "label");
    assertThat(specs.get(2).type()).isEqualTo("one of bh1|bh2|trailing-zero");
    assertThat(specs.get(1).max()).isEqualTo(1.0);
  }

  @Test
  void closestMatchNeedsToBeClose() {
    assertThat(Options.closest("sover", List.of("solver", "grid", "steps"))).isEqualTo("solver");
    assertThat(Options.closest("zzzzzz", List.of("solver", "grid"))).isNull();
    assertThat(Options.editDistance("kitten", "sitting")).isEqualTo(3);
  }

  @Test
  void registryRejectsDuplicatesNamingBothSources() {
    PluginProvider<NoOptions> a = PluginProvider.of(new PluginInfo(Kind.SOLVER, "euler", "d", "r"), NoOptions.class, o -> "A");
    PluginRegistry r = new PluginRegistry().add(a, "one.jar");
    assertThatThrownBy(() -> r.add(a, "two.jar"))
        .hasMessageContaining("duplicate solver plugin 'euler'")
        .hasMessageContaining("one.jar")
        .hasMessageContaining("two.jar");
    assertThat((String) r.create(Kind.SOLVER, "euler", "sampling.solver")).isEqualTo("A");
    assertThatThrownBy(() -> r.create(Kind.SOLVER, "eulr", "sampling.solver"))
        .hasMessageContaining("unknown solver 'eulr'")
        .hasMessageContaining("did you mean 'euler'?");
    assertThatThrownBy(() -> r.create(Kind.SOLVER, Map.of("name", "euler", "eta", 1), "sampling.solver"))
        .hasMessageContaining("unknown key 'sampling.solver.eta'")
        .hasMessageContaining("takes no options");
  }
}
