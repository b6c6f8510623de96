package org.diffuse4j.runtime.manifest;

import org.diffuse4j.api.plugin.Option;
import org.diffuse4j.api.tensor.Precision;

/** The top-level keys of a manifest; plugin sections are a name or a map with {@code name} and options. */
public record TopLevel(
    @Option(doc = "data set plugin (e.g. two-moons)") Object data,
    @Option(doc = "network plugin", def = "mlp") Object network,
    @Option(doc = "noise schedule plugin", def = "rectified-flow") Object schedule,
    @Option(doc = "what the network predicts", def = "velocity") Object parameterisation,
    @Option(doc = "training objective plugin", def = "flow-matching") Object objective,
    @Option(doc = "training section (steps, batch_size, lr, ...)", def = "{}") Object training,
    @Option(doc = "sampling section (solver, grid, steps, n, ...)", def = "{}") Object sampling,
    @Option(doc = "guidance plugin ('none' = the model as is)", def = "none") Object guidance,
    @Option(doc = "frozen teacher of a distilling objective: {run: DIR, solver, guidance, use_ema}", def = "none") Object teacher,
    @Option(doc = "output section (dir)", def = "{}") Object output,
    @Option(doc = "master seed: weights, training batches, sampling noise", def = "0", min = 0) long seed,
    @Option(doc = "floating precision of the graphs", def = "float32") Precision precision) {

  /** The section names that are maps of plain options (not plugins). */
  public static final java.util.List<String> SECTIONS = java.util.List.of("training", "sampling", "output");
}
