package org.diffuse4j.runtime.manifest;

import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.plugin.OptionException;

/** The {@code output} section. */
public record OutputOptions(
    @Option(doc = "run folder (relative to the working directory); --out overrides", def = "runs/latest") String dir,
    @Option(doc = "random projections of the sliced Wasserstein metric", def = "256", min = 1) int projections) {

  public OutputOptions {
    if (dir.isBlank()) {
      throw new OptionException("'output.dir' is empty; give a run folder such as runs/my-run (or pass --out DIR); "
          + "an empty path would write into the working directory");
    }
  }
}
