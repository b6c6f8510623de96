package org.diffuse4j.runtime.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.runtime.model.DataSet;
import org.diffuse4j.runtime.model.NetworkFactory;

/**
 * Reads a YAML manifest into a map tree, applies {@code --set key.path=value} overrides and
 * validates everything (top-level keys, the training/sampling/output sections and every plugin's
 * options, all through {@link Options#bind}) before any work starts.
 */
public final class ManifestLoader {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));

  private ManifestLoader() {}

  /** Reads a manifest file; a missing or unreadable file fails naming the path. */
  public static Map<String, Object> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new OptionException("manifest file not found: " + file.toAbsolutePath());
    }
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new OptionException("cannot read manifest " + file.toAbsolutePath() + ": " + e.getMessage());
    }
  }

  /** Parses YAML text into a mutable map tree. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parse(String yaml, String where) {
    Object tree;
    try {
      tree = YAML.readValue(yaml, Object.class);
    } catch (JsonProcessingException e) {
      throw new OptionException("manifest " + where + " is not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (tree == null) {
      return new LinkedHashMap<>();
    }
    if (!(tree instanceof Map)) {
      throw new OptionException("manifest " + where + " must be a map of sections (data, network, training, ...)");
    }
    return (Map<String, Object>) tree;
  }

  /** Applies one {@code a.b.c=value} override; the value is parsed as a YAML scalar or list. */
  @SuppressWarnings("unchecked")
  public static void override(Map<String, Object> tree, String assignment) {
    int eq = assignment.indexOf('=');
    if (eq <= 0) {
      throw new OptionException("--set expects key.path=value, got '" + assignment + "'");
    }
    String[] keys = assignment.substring(0, eq).trim().split("\\.");
    Object value;
    try {
      value = YAML.readValue(assignment.substring(eq + 1), Object.class);
    } catch (JsonProcessingException e) {
      throw new OptionException("--set " + assignment + ": value is not valid YAML");
    }
    Map<String, Object> node = tree;
    for (int i = 0; i < keys.length - 1; i++) {
      Object child = node.get(keys[i]);
      if (child instanceof String name) {
        // a plugin given by name becomes {name: ..., option: value}
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        child = m;
      } else if (!(child instanceof Map)) {
        child = new LinkedHashMap<String, Object>();
      } else {
        child = new LinkedHashMap<>((Map<String, Object>) child);
      }
      node.put(keys[i], child);
      node = (Map<String, Object>) child;
    }
    node.put(keys[keys.length - 1], value);
  }

  /** Validates a tree and builds every plugin; fails on the first problem with the key path. */
  public static Manifest resolve(Map<String, Object> tree, PluginRegistry registry) {
    checkTopLevelKeys(tree);
    TopLevel top = Options.bind(TopLevel.class, tree, "");
    TrainingOptions training = Options.bind(TrainingOptions.class, section(top.training(), "training"), "training");
    SamplingOptions sampling = Options.bind(SamplingOptions.class, section(top.sampling(), "sampling"), "sampling");
    OutputOptions output = Options.bind(OutputOptions.class, section(top.output(), "output"), "output");

    DataSet data = build(registry, Kind.DATA, top.data(), "data", DataSet.class);
    NetworkFactory network = build(registry, Kind.NETWORK, top.network(), "network", NetworkFactory.class);
    Schedule schedule = build(registry, Kind.SCHEDULE, top.schedule(), "schedule", Schedule.class);
    Parameterisation param = build(registry, Kind.PARAMETERISATION, top.parameterisation(), "parameterisation", Parameterisation.class);
    Objective objective = build(registry, Kind.OBJECTIVE, top.objective(), "objective", Objective.class);
    Solver solver = build(registry, Kind.SOLVER, sampling.solver(), "sampling.solver", Solver.class);
    TimeGrid grid = build(registry, Kind.GRID, sampling.grid(), "sampling.grid", TimeGrid.class);
    Guidance guidance = "none".equals(top.guidance()) && !registry.entries(Kind.GUIDANCE).containsKey("none")
        ? null
        : build(registry, Kind.GUIDANCE, top.guidance(), "guidance", Guidance.class);

    Map<String, Object> resolved = new LinkedHashMap<>(asMap(top));
    resolved.put("training", asMap(training));
    resolved.put("sampling", asMap(sampling));
    resolved.put("output", asMap(output));
    return new Manifest(resolved, top, training, sampling, output, data, network, schedule, param, objective, solver, grid, guidance);
  }

  /** The manifest as YAML text. */
  public static String toYaml(Map<String, Object> tree) {
    try {
      return YAML.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Unknown top-level keys get the closest top-level key, or the closest key of a section. */
  private static void checkTopLevelKeys(Map<String, Object> tree) {
    List<String> topKeys = names(TopLevel.class);
    for (String key : tree.keySet()) {
      if (topKeys.contains(key)) {
        continue;
      }
      String hint = Options.closest(key, topKeys);
      if (hint == null) {
        List<String> nested = new ArrayList<>();
        nested.addAll(names(TrainingOptions.class).stream().map(n -> "training." + n).toList());
        nested.addAll(names(SamplingOptions.class).stream().map(n -> "sampling." + n).toList());
        nested.addAll(names(OutputOptions.class).stream().map(n -> "output." + n).toList());
        for (String n : nested) {
          String leaf = n.substring(n.indexOf('.') + 1);
          if (Options.closest(key, List.of(leaf)) != null) {
            hint = n;
            break;
          }
        }
      }
      throw new OptionException("unknown key '" + key + "'"
          + (hint == null ? "" : "; did you mean '" + hint + "'?")
          + "; top-level keys: " + String.join(", ", topKeys));
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Object raw, String path) {
    if (raw instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    if ("{}".equals(raw)) {
      return Map.of();
    }
    throw new OptionException("wrong type for '" + path + "': expected a map of options, got '" + raw + "'");
  }

  private static <T> T build(PluginRegistry registry, Kind kind, Object spec, String path, Class<T> type) {
    Object plugin;
    try {
      plugin = registry.create(kind, spec, path);
    } catch (IllegalArgumentException e) {
      throw new OptionException("invalid options at '" + path + "': " + e.getMessage());
    }
    if (!type.isInstance(plugin)) {
      throw new OptionException("the " + kind.id() + " plugin at '" + path + "' built a "
          + plugin.getClass().getName() + ", not a " + type.getSimpleName());
    }
    return type.cast(plugin);
  }

  private static List<String> names(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  /** A record's components as a map, in manifest spelling (enums lower case, arrays as lists). */
  static Map<String, Object> asMap(Record r) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (RecordComponent rc : r.getClass().getRecordComponents()) {
      try {
        Object v = rc.getAccessor().invoke(r);
        if (v instanceof Enum<?> e) {
          v = Options.enumName(e);
        } else if (v instanceof double[] d) {
          v = Arrays.stream(d).boxed().toList();
        } else if (v instanceof int[] d) {
          v = Arrays.stream(d).boxed().toList();
        }
        out.put(rc.getName(), v);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return out;
  }
}
