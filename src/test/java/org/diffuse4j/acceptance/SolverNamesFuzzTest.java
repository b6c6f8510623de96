package org.diffuse4j.acceptance;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input to the solvers, grids and names of issue 13 (options of the new samplers and grids,
 * aliases that do not exist): exit 2, the key named, nothing written.
 */
class SolverNamesFuzzTest {
  @TempDir Path tmp;

  private void rejected(String solver, String grid, String key, String cause) {
    Path png = tmp.resolve("plot.png");
    var w = Fuzz.watch(tmp);
    Cli c = grid.isEmpty()
        ? Cli.run("convergence", "--solver", solver, "--steps", "8,16", "--plot", png.toString())
        : Cli.run("convergence", "--solver", solver, "--grid", grid, "--steps", "8,16", "--plot", png.toString());
    w.assertRejected(c, Fuzz.USAGE, key, cause);
  }

  /** Solver options. */
  @ParameterizedTest(name = "solver {0}")
  @CsvSource(delimiter = '|', value = {
      "{name: dpmpp-3m-sde, eta: -1}|eta|-1",
      "{name: dpmpp-2s-ancestral, s_noise: -0.5}|s_noise|-0.5",
      "{name: dpm-2-ancestral, eta: -2}|eta|-2",
      "{name: dpmpp-2m, lower_order_final: maybe}|lower_order_final|maybe",
      "{name: unipc, lower_order_final: 3}|lower_order_final|3",
      "{name: res-multistep, order: 2}|order|unknown key",
      "{name: sa-solver, predictor_order: 5}|predictor_order|5",
      "{name: er-sde, max_stage: 0}|max_stage|0",
      "{name: dpm-adaptive, order: 4}|order|4",
      "{name: dpm-adaptive, max_trials: 0}|max_trials|0"})
  void badSolverOptions(String solver, String key, String cause) {
    rejected(solver, "", key, cause);
  }

  /** Grid options. */
  @ParameterizedTest(name = "grid {0}")
  @CsvSource(delimiter = '|', value = {
      "{name: beta, alpha: 0}|alpha|0",
      "{name: ays, model: sd3}|model|sd1",
      "{name: linear-quadratic, threshold_noise: 2}|threshold_noise|2",
      "{name: simple, train_steps: -1}|train_steps|-1"})
  void badGridOptions(String grid, String key, String cause) {
    rejected("ddim", grid, key, cause);
  }

  /** Names from other libraries that do not exist. */
  @ParameterizedTest(name = "name {0}")
  @CsvSource(delimiter = '|', value = {
      "k-diffusion:eulr|k-diffusion:eulr|unknown solver",
      "a1111:DPM++ 9M|a1111:DPM++ 9M|unknown solver",
      "dpmpp_4m|dpmpp_4m|unknown solver"})
  void unknownForeignNames(String solver, String key, String cause) {
    rejected(solver, "", key, cause);
  }
}
