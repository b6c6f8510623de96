package org.diffuse4j.runtime.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.diffuse4j.api.Guidance;
import org.diffuse4j.api.Objective;
import org.diffuse4j.api.Parameterisation;
import org.diffuse4j.api.Schedule;
import org.diffuse4j.api.Solver;
import org.diffuse4j.api.TimeGrid;
import org.diffuse4j.api.model.DataSet;
import org.diffuse4j.api.model.NetworkFactory;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.KnownNames;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.Options;
import org.diffuse4j.api.plugin.PluginRegistry;

/**
 * Reads a YAML manifest into a map tree, applies {@code --set key.path=value} overrides and
 * validates everything (top-level keys, the training/sampling/output sections and every plugin's
 * options, all through {@link Options#bind}) before any work starts.
 */
public final class ManifestLoader {
  /** Strict YAML: a key given twice in one map fails (instead of the last one winning). */
  private static final YAMLFactory FACTORY = YAMLFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .build();
  /** Floats arrive as BigDecimal, so a literal too large for a double (1e309) is seen, not read as infinity. */
  private static final ObjectMapper YAML = new ObjectMapper(FACTORY)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  /** A --set key: dot-separated names of letters, digits, '_' and '-'. */
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  private ManifestLoader() {}

  /**
   * Reads a manifest file; fails naming the path when it is missing, unreadable, not UTF-8 text,
   * empty, not valid YAML, holds several documents or a key twice.
   */
  public static Map<String, Object> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new OptionException("manifest file not found: " + file.toAbsolutePath());
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new OptionException("cannot read manifest " + file.toAbsolutePath() + ": " + e.getMessage());
    }
    String text = utf8(bytes, file);
    Map<String, Object> tree = parse(text, file.toString());
    if (tree.isEmpty()) {
      throw new OptionException("manifest " + file + " is empty: it needs at least a data set, e.g. 'data: two-moons' "
          + "(see examples/manifests/)");
    }
    return tree;
  }

  /** The bytes as UTF-8 text, or an error naming the file and the line of the first invalid byte. */
  private static String utf8(byte[] bytes, Path file) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    CoderResult r = decoder.decode(in, out, true);
    if (r.isError()) {
      int at = in.position();
      int line = 1;
      for (int i = 0; i < at; i++) {
        line += bytes[i] == '\n' ? 1 : 0;
      }
      throw new OptionException(String.format("manifest %s is not UTF-8 text: byte 0x%02x at offset %d (line %d) is not "
          + "valid UTF-8; save the manifest as UTF-8 YAML text", file, bytes[at] & 0xff, at, line));
    }
    decoder.flush(out);
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** Parses YAML text (one document, no key twice) into a mutable map tree; empty text gives an empty map. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> parse(String yaml, String where) {
    Object tree = value(yaml, "manifest " + where + " is not valid YAML", "manifest " + where);
    if (tree == null) {
      return new LinkedHashMap<>();
    }
    if (!(tree instanceof Map)) {
      throw new OptionException("manifest " + where + " must be a map of sections (data, network, training, ...)");
    }
    return (Map<String, Object>) tree;
  }

  /**
   * One YAML value (null for empty text), numbers as Integer/Long/BigInteger or Double (BigDecimal
   * only when too large for a double). Fails with {@code invalid} (plus the parser's reason and line)
   * on bad YAML or a duplicate key, and naming {@code what} when the text holds several documents.
   */
  private static Object value(String yaml, String invalid, String what) {
    try (JsonParser p = YAML.createParser(yaml)) {
      if (p.nextToken() == null) {
        return null;
      }
      Object v = YAML.readValue(p, Object.class);
      if (p.nextToken() != null) {
        throw new OptionException(what + " holds several YAML documents (a second one starts near line "
            + p.currentLocation().getLineNr() + " after '---'); give one document per manifest, "
            + "or remove the extra '---'");
      }
      return doubles(v);
    } catch (JsonProcessingException e) {
      String reason = e.getOriginalMessage();
      if (reason.startsWith("Duplicate field")) {
        reason = "key " + reason.substring("Duplicate field ".length()) + " is given twice in the same map; keep one";
      } else if (reason.startsWith("Malformed numeric value")) {
        reason += " (YAML's .inf and .nan are not numbers here: write a finite number, or Infinity where the key's "
            + "default is Infinity)";
      }
      throw new OptionException(invalid + ": " + reason
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    } catch (IOException e) {
      throw new OptionException(invalid + ": " + e.getMessage());
    }
  }

  /** BigDecimal floats become Double where a double holds them; overflowing ones stay exact for the error. */
  @SuppressWarnings("unchecked")
  private static Object doubles(Object v) {
    if (v instanceof BigDecimal b) {
      double d = b.doubleValue();
      return Double.isInfinite(d) ? b : (Object) d;
    }
    if (v instanceof Map<?, ?> m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(String.valueOf(k), doubles(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(doubles(x)));
      return out;
    }
    return v;
  }

  /**
   * Applies one {@code a.b.c=value} override; the value is parsed as a YAML scalar, list or map.
   * The key must be dot-separated names and the value non-empty.
   */
  @SuppressWarnings("unchecked")
  public static void override(Map<String, Object> tree, String assignment) {
    int eq = assignment.indexOf('=');
    String example = "; write --set key.path=value, e.g. --set sampling.steps=20";
    if (eq < 0) {
      throw new OptionException("--set '" + assignment + "' has no '='" + example
          + " (with no space: '--set KEY VALUE' is two arguments)");
    }
    String key = assignment.substring(0, eq).trim();
    String text = assignment.substring(eq + 1);
    if (key.isEmpty()) {
      throw new OptionException("--set '" + assignment + "' has no key before '='" + example);
    }
    if (!KEY.matcher(key).matches()) {
      throw new OptionException("--set '" + assignment + "': key '" + key + "' is not a key path (names of letters, "
          + "digits, '_' or '-' separated by single dots, no empty part)" + example);
    }
    if (text.isBlank()) {
      throw new OptionException("--set '" + assignment + "' has no value after '='" + example
          + "; to use the default, leave the key out");
    }
    String[] keys = key.split("\\.");
    Object value = value(text, "--set " + assignment + ": value is not valid YAML", "--set " + assignment);
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

  /**
   * Validates a tree, builds every plugin and runs the {@link Preflight} checks for a command that
   * samples in the graph engine ({@code validate}, {@code run}, {@code sample}, {@code reflow});
   * fails on the first problem with the key path.
   */
  public static Manifest resolve(Map<String, Object> tree, PluginRegistry registry) {
    return resolve(tree, registry, true);
  }

  /**
   * As {@link #resolve(Map, PluginRegistry)}; {@code sampledInGraph} false for {@code likelihood}
   * and {@code encode}, which integrate on an eager backend and do not read {@code sampling.init}.
   */
  public static Manifest resolve(Map<String, Object> tree, PluginRegistry registry, boolean sampledInGraph) {
    checkTopLevelKeys(tree);
    TopLevel top = Options.bind(TopLevel.class, tree, "");
    TrainingOptions training = Options.bind(TrainingOptions.class, section(top.training(), "training"), "training");
    SamplingOptions sampling = Options.bind(SamplingOptions.class,
        gridOfSolverName(section(top.sampling(), "sampling"), registry), "sampling");
    OutputOptions output = Options.bind(OutputOptions.class, section(top.output(), "output"), "output");

    DataSet data = build(registry, Kind.DATA, top.data(), "data", DataSet.class);
    NetworkFactory network = build(registry, Kind.NETWORK, top.network(), "network", NetworkFactory.class);
    Schedule schedule = build(registry, Kind.SCHEDULE, top.schedule(), "schedule", Schedule.class);
    Parameterisation param = parameterisation(
        build(registry, Kind.PARAMETERISATION, top.parameterisation(), "parameterisation", Object.class), "parameterisation");
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
    Preflight.networks(top, objective, training);
    org.diffuse4j.api.Teacher teacher = "none".equals(top.teacher()) ? null
        : org.diffuse4j.runtime.train.TeacherRun.load(top.teacher(), registry, data.dim());
    Manifest m = new Manifest(resolved, top, training, sampling, output, data, network, schedule, param, objective,
        solver, grid, guidance, teacher);
    Preflight.check(m, sampledInGraph);
    return m;
  }

  /**
   * A solver named as A1111 or diffusers name it carries a grid ("DPM++ 2M Karras" = dpmpp-2m on
   * karras, {@link KnownNames}): that grid becomes {@code sampling.grid} when the manifest sets none;
   * a manifest that sets another grid is refused, naming both.
   */
  static Map<String, Object> gridOfSolverName(Map<String, Object> sampling, PluginRegistry registry) {
    String name = pluginName(sampling.get("solver"));
    if (name == null || registry.entries(Kind.SOLVER).containsKey(name)) {
      return sampling;
    }
    KnownNames.Alias alias = KnownNames.find(Kind.SOLVER, name);
    if (alias == null || alias.grid() == null) {
      return sampling;
    }
    Object given = sampling.get("grid");
    if (given == null) {
      Map<String, Object> out = new LinkedHashMap<>(sampling);
      out.put("grid", alias.grid());
      return out;
    }
    String gridName = pluginName(given);
    String resolved = gridName == null ? null : registry.resolveAlias(Kind.GRID, Map.entry(gridName, Map.of())).getKey();
    if (!alias.grid().equals(resolved)) {
      throw new OptionException("sampling.solver '" + name + "' is " + alias.target() + " on the " + alias.grid()
          + " grid, but sampling.grid is '" + gridName + "'; remove sampling.grid to use " + alias.grid()
          + ", or name the solver by its plugin (sampling.solver: " + alias.target() + ") to keep your grid");
    }
    return sampling;
  }

  /** The plugin name of a spec (a name, or a map with {@code name}); null otherwise. */
  private static String pluginName(Object spec) {
    if (spec instanceof String s) {
      return s;
    }
    return spec instanceof Map<?, ?> m && m.get("name") instanceof String s ? s : null;
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

  /**
   * A parameterisation plugin as the engine uses it: a {@link Parameterisation} as is, a
   * {@link org.diffuse4j.api.FlowMapParameterisation} on its {@linkplain
   * org.diffuse4j.api.FlowMapParameterisation#diagonal() diagonal} (the flow map itself is then
   * {@link Manifest#flowMap()}).
   *
   * @param plugin what the parameterisation plugin built
   * @param path the manifest key, for the error message
   * @return the parameterisation
   */
  public static Parameterisation parameterisation(Object plugin, String path) {
    if (plugin instanceof org.diffuse4j.api.FlowMapParameterisation fm) {
      return fm.diagonal();
    }
    if (plugin instanceof Parameterisation p) {
      return p;
    }
    throw new OptionException("the parameterisation plugin at '" + path + "' built a " + plugin.getClass().getName()
        + ", neither a Parameterisation nor a FlowMapParameterisation");
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
