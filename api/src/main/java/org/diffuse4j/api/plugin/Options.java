package org.diffuse4j.api.plugin;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a map of option values (from a YAML manifest or {@code --set}) to a plugin's options record,
 * and describes a record for {@code describe}. Rejects unknown keys (suggesting the closest match),
 * wrong types and out-of-range values, naming the full key path.
 *
 * <p>Supported component types: double, int, long, boolean, String, enums (written in lower case
 * with '-' for '_'), double[], int[], List&lt;String&gt; and Object (a nested plugin spec: a name or
 * a map).
 */
public final class Options {
  private Options() {}

  /** One option as {@code describe} shows it. */
  public record Spec(String name, String type, String defaultValue, String doc, double min, double max) {
    public boolean required() {
      return defaultValue.isEmpty();
    }
  }

  /** The options of a record type, in declaration order. */
  public static List<Spec> describe(Class<? extends Record> type) {
    List<Spec> out = new ArrayList<>();
    for (RecordComponent rc : type.getRecordComponents()) {
      Option o = option(type, rc);
      out.add(new Spec(rc.getName(), typeName(rc.getType()), o.def(), o.doc(), o.min(), o.max()));
    }
    return out;
  }

  /** The record with every option at its default (fails if one is required). */
  public static <O extends Record> O defaults(Class<O> type) {
    return bind(type, Map.of(), "");
  }

  /**
   * Binds {@code values} to a new {@code type} record. {@code path} prefixes key names in errors
   * (e.g. {@code sampling.solver}).
   */
  public static <O extends Record> O bind(Class<O> type, Map<String, ?> values, String path) {
    RecordComponent[] rcs = type.getRecordComponents();
    List<String> names = Arrays.stream(rcs).map(RecordComponent::getName).collect(Collectors.toList());
    for (String key : values.keySet()) {
      if (!names.contains(key)) {
        throw new OptionException(
            "unknown key '" + join(path, key) + "'" + suggestion(key, names)
                + (names.isEmpty() ? "; this plugin takes no options" : "; allowed keys: " + String.join(", ", names)));
      }
    }
    Object[] args = new Object[rcs.length];
    Class<?>[] types = new Class<?>[rcs.length];
    for (int i = 0; i < rcs.length; i++) {
      RecordComponent rc = rcs[i];
      Option o = option(type, rc);
      String key = join(path, rc.getName());
      types[i] = rc.getType();
      Object raw = values.get(rc.getName());
      if (raw == null) {
        if (o.def().isEmpty()) {
          throw new OptionException("missing required key '" + key + "': " + o.doc());
        }
        raw = o.def();
      }
      args[i] = convert(rc.getType(), raw, key, o);
    }
    try {
      Constructor<O> ctor = type.getDeclaredConstructor(types);
      ctor.setAccessible(true);
      return ctor.newInstance(args);
    } catch (java.lang.reflect.InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof OptionException oe) {
        throw oe;
      }
      throw new OptionException(
          "invalid options at '" + (path.isEmpty() ? type.getSimpleName() : path) + "': " + cause.getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct options record " + type.getName(), e);
    }
  }

  private static Option option(Class<?> type, RecordComponent rc) {
    Option o = rc.getAnnotation(Option.class);
    if (o == null) {
      throw new IllegalStateException(
          "options record " + type.getName() + " component '" + rc.getName() + "' lacks @Option");
    }
    return o;
  }

  private static String join(String path, String key) {
    return path == null || path.isEmpty() ? key : path + "." + key;
  }

  private static String typeName(Class<?> t) {
    if (t.isEnum()) {
      return "one of " + String.join("|", enumNames(t));
    }
    if (t == double[].class) {
      return "list of numbers";
    }
    if (t == int[].class) {
      return "list of integers";
    }
    if (t == List.class) {
      return "list of strings";
    }
    if (t == Object.class) {
      return "plugin (name or map)";
    }
    return t.getSimpleName().toLowerCase(Locale.ROOT);
  }

  private static List<String> enumNames(Class<?> t) {
    return Arrays.stream(t.getEnumConstants())
        .map(e -> enumName((Enum<?>) e))
        .collect(Collectors.toList());
  }

  /** The manifest spelling of an enum constant: lower case, '-' for '_'. */
  public static String enumName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Object convert(Class<?> t, Object raw, String key, Option o) {
    if (t == Object.class) {
      return raw;
    }
    if (t == String.class) {
      if (raw instanceof Map || raw instanceof Collection) {
        throw wrongType(key, "a string", raw);
      }
      return raw.toString();
    }
    if (t == boolean.class) {
      if (raw instanceof Boolean b) {
        return b;
      }
      String s = raw.toString();
      if (s.equals("true") || s.equals("false")) {
        return Boolean.parseBoolean(s);
      }
      throw wrongType(key, "true or false", raw);
    }
    if (t == double.class || t == int.class || t == long.class) {
      double v = number(raw, key, t == double.class ? "a number" : "an integer");
      if (t != double.class && v != Math.rint(v)) {
        throw wrongType(key, "an integer", raw);
      }
      if (Double.isNaN(v) || v < o.min() || v > o.max()) {
        throw new OptionException(
            "value " + raw + " for '" + key + "' is out of range: allowed " + range(o));
      }
      if (t == int.class) {
        return (int) v;
      }
      return t == long.class ? (Object) (long) v : (Object) v;
    }
    if (t.isEnum()) {
      String s = raw.toString().toLowerCase(Locale.ROOT);
      for (Object c : t.getEnumConstants()) {
        if (enumName((Enum<?>) c).equals(s)) {
          return c;
        }
      }
      List<String> names = enumNames(t);
      throw new OptionException(
          "value '" + raw + "' for '" + key + "' is not allowed" + suggestion(s, names)
              + "; allowed values: " + String.join(", ", names));
    }
    if (t == double[].class || t == int[].class) {
      List<?> items = list(raw, key);
      double[] d = new double[items.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = number(items.get(i), key + "[" + i + "]", "a number");
        if (d[i] < o.min() || d[i] > o.max()) {
          throw new OptionException(
              "value " + items.get(i) + " for '" + key + "[" + i + "]' is out of range: allowed " + range(o));
        }
      }
      if (t == double[].class) {
        return d;
      }
      int[] r = new int[d.length];
      for (int i = 0; i < d.length; i++) {
        if (d[i] != Math.rint(d[i])) {
          throw wrongType(key + "[" + i + "]", "an integer", items.get(i));
        }
        r[i] = (int) d[i];
      }
      return r;
    }
    if (t == List.class) {
      return list(raw, key).stream().map(Object::toString).collect(Collectors.toList());
    }
    throw new IllegalStateException("unsupported option type " + t + " for " + key);
  }

  private static List<?> list(Object raw, String key) {
    if (raw instanceof List<?> l) {
      return l;
    }
    if (raw instanceof String s) {
      String body = s.trim();
      if (body.startsWith("[") && body.endsWith("]")) {
        body = body.substring(1, body.length() - 1);
      }
      if (body.isBlank()) {
        return List.of();
      }
      return Arrays.stream(body.split(",")).map(String::trim).collect(Collectors.toList());
    }
    throw wrongType(key, "a list", raw);
  }

  private static double number(Object raw, String key, String expected) {
    if (raw instanceof Number n) {
      return n.doubleValue();
    }
    if (raw instanceof String s) {
      try {
        return Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        throw wrongType(key, expected, raw);
      }
    }
    throw wrongType(key, expected, raw);
  }

  private static OptionException wrongType(String key, String expected, Object raw) {
    String shown = raw instanceof Map ? "a map" : raw instanceof Collection ? "a list" : "'" + raw + "'";
    return new OptionException("wrong type for '" + key + "': expected " + expected + ", got " + shown);
  }

  private static String range(Option o) {
    String lo = o.min() == Double.NEGATIVE_INFINITY ? "-inf" : fmt(o.min());
    String hi = o.max() == Double.POSITIVE_INFINITY ? "inf" : fmt(o.max());
    return "[" + lo + ", " + hi + "]";
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /** "; did you mean 'x'?" for the closest candidate within a small edit distance, else "". */
  public static String suggestion(String word, Collection<String> candidates) {
    String best = closest(word, candidates);
    return best == null ? "" : "; did you mean '" + best + "'?";
  }

  /** The candidate closest to {@code word} by edit distance, if close enough to be a typo. */
  public static String closest(String word, Collection<String> candidates) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = editDistance(word.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    return best != null && bestD <= Math.max(2, word.length() / 3) ? best : null;
  }

  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          cur[j] = Math.min(cur[j], prev[j - 2 < 0 ? 0 : j - 2] + 1);
        }
      }
      int[] tmp = prev;
      prev = cur;
      cur = tmp;
    }
    return prev[b.length()];
  }

  /** Splits a plugin spec (a name, or a map with 'name' and options) into name and option map. */
  public static Map.Entry<String, Map<String, Object>> splitSpec(Object spec, String path) {
    if (spec instanceof String s) {
      return Map.entry(s, Map.of());
    }
    if (spec instanceof Map<?, ?> m) {
      Object name = m.get("name");
      if (!(name instanceof String)) {
        throw new OptionException("'" + join(path, "name") + "' is missing: say which plugin to use");
      }
      Map<String, Object> rest = new LinkedHashMap<>();
      m.forEach((k, v) -> {
        if (!"name".equals(k)) {
          rest.put(k.toString(), v);
        }
      });
      return Map.entry((String) name, rest);
    }
    throw new OptionException(
        "wrong type for '" + path + "': expected a plugin name or a map with 'name', got " + spec);
  }
}
