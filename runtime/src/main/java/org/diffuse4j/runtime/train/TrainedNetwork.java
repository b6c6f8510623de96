package org.diffuse4j.runtime.train;

import static org.diffuse4j.api.plugin.Kind.DATA;
import static org.diffuse4j.api.plugin.Kind.NETWORK;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.Condition;
import org.diffuse4j.api.Network;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.model.Model;
import org.diffuse4j.api.model.NetworkFactory;
import org.diffuse4j.api.model.Weights;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.plugin.PluginContext;
import org.diffuse4j.api.tensor.Backend;
import org.diffuse4j.api.tensor.Feeds;
import org.diffuse4j.api.tensor.Precision;
import org.diffuse4j.api.tensor.Tensor;
import org.diffuse4j.runtime.graph.SessionConfig;
import org.diffuse4j.runtime.manifest.ManifestLoader;
import org.diffuse4j.runtime.manifest.TopLevel;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;

/**
 * The network of a finished run folder with its trained weights fixed (EMA weights when the
 * checkpoint has them): what {@code autoguidance.weak_model} names as
 * {@code {name: checkpoint, run: DIR}}. The weights are read once, then added as graph
 * constants to each graph that calls the network, so they are not part of that graph's checkpoint.
 */
public final class TrainedNetwork implements Network {
  private final Path run;
  private final NetworkFactory factory;
  private final int dim;
  private final long seed;
  private final List<double[]> values;
  private Backend builtFor;
  private Network built;

  private TrainedNetwork(Path run, NetworkFactory factory, int dim, long seed, List<double[]> values) {
    this.run = run;
    this.factory = factory;
    this.dim = dim;
    this.seed = seed;
    this.values = values;
  }

  /** Reads run folder {@code run}: its manifest's network and data width, and its checkpoint's weights. */
  public static TrainedNetwork load(Path run, boolean useEma, PluginContext context, String path) {
    Path manifest = run.resolve("manifest.yaml");
    Checkpoint checkpoint = new Checkpoint(run);
    if (!Files.isRegularFile(manifest) || !checkpoint.exists()) {
      throw new OptionException("'" + path + ".run': '" + run + "' is not a trained run folder (it needs manifest.yaml and "
          + "checkpoint/); train it first with './diffuse4j run MANIFEST' and give its output.dir");
    }
    Map<String, Object> tree = ManifestLoader.read(manifest);
    TopLevel top = Options.bind(TopLevel.class, tree, "");
    String where = path + " (the network of " + run + ")";
    NetworkFactory factory = context.create(NETWORK, top.network(), "network (of " + run + ")");
    DataSet data = context.create(DATA, top.data(), "data (of " + run + ")");
    try (Graph g = new Graph()) {
      Backend be = new Backend(Ops.create(g), top.precision());
      Model model = factory.build(be, data.dim(), top.seed());
      if (!model.trainable()) {
        throw new OptionException("'" + where + "' has no trained weights (an analytic model); use it directly as the network");
      }
      EmaWeights ema = useEma && checkpoint.state().ema() ? new EmaWeights(be, model.variables()) : null;
      try (Session s = new Session(g, SessionConfig.unoptimised())) {
        checkpoint.restore(s);
        if (ema != null) {
          ema.apply(s);
        }
        List<double[]> values = new ArrayList<>();
        for (Variable<?> v : model.variables()) {
          try (Result r = s.runner().fetch(v).run()) {
            values.add(Feeds.values(r.get(0)));
          }
        }
        return new TrainedNetwork(run, factory, data.dim(), top.seed(), List.copyOf(values));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  /** The network's factory (what its manifest names). */
  public NetworkFactory factory() {
    return factory;
  }

  /**
   * The names and sizes of {@code factory}'s weights for data of width {@code dim}, in creation order
   * (the network is built once in a scratch graph). TensorFlow numbers a repeated scope ({@code mlp},
   * {@code mlp_1}, …, in creation order), so the numbers are dropped: a name then does not depend on
   * how many weights were made before it. Two weights that differ only in those numbers are refused.
   */
  static Map<String, Long> weightNames(NetworkFactory factory, int dim, long seed, Precision precision) {
    Map<String, Long> names = new java.util.LinkedHashMap<>();
    try (Graph g = new Graph()) {
      Model model = factory.build(new Backend(Ops.create(g), precision), dim, seed);
      for (Variable<?> v : model.variables()) {
        String name = v.op().name().replaceAll("_[0-9]+(?=/|$)", "");
        if (names.put(name, v.shape().size()) != null) {
          throw new OptionException("the network has two weights named " + name + " (but for TensorFlow's scope numbers); "
              + "its weights cannot be matched by name");
        }
      }
    }
    return names;
  }

  /** The fixed weights, one array per weight in the network's creation order. */
  public List<double[]> values() {
    return values;
  }

  /** Values per row of the run's data. */
  public int dim() {
    return dim;
  }

  @Override
  public synchronized Tensor apply(Tensor x, Tensor t, Condition condition) {
    if (builtFor != x.backend()) {
      built = factory.build(x.backend(), dim, seed, Weights.fixed(values, run.toString())).network();
      builtFor = x.backend();
    }
    return built.apply(x, t, condition);
  }
}
