package org.diffuse4j.api.plugin;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
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

  /**
   * One option as {@code describe} shows it.
   *
   * @param name the record component's name, the key in a manifest
   * @param type the type in words, e.g. {@code double}, {@code list of numbers}, {@code one of a|b}
   * @param defaultValue the default as text; empty when required
   * @param doc the one-line description from {@link Option#doc()}
   * @param min the inclusive lower bound of a numeric option (−∞ when unbounded)
   * @param max the inclusive upper bound of a numeric option (+∞ when unbounded)
   */
  public record Spec(String name, String type, String defaultValue, String doc, double min, double max) {
    /**
     * Whether the option has no default, so a manifest must set it.
     *
     * @return true when the option has no default
     */
    public boolean required() {
      return defaultValue.isEmpty();
    }
  }

  /**
   * The options of a record type, in declaration order.
   *
   * @param type an options record class whose components carry {@link Option}
   * @return one spec per component, in declaration order
   */
  public static List<Spec> describe(Class<? extends Record> type) {
    List<Spec> out = new ArrayList<>();
    for (RecordComponent rc : type.getRecordComponents()) {
      Option o = option(type, rc);
      out.add(new Spec(rc.getName(), typeName(rc.getType()), o.def(), o.doc(), o.min(), o.max()));
    }
    return out;
  }

  /**
   * The record with every option at its default (fails if one is required).
   *
   * @param <O> the options record type
   * @param type an options record class whose components carry {@link Option}
   * @return a new record with every component at its default
   * @throws OptionException if an option is required
   */
  public static <O extends Record> O defaults(Class<O> type) {
    return bind(type, Map.of(), "");
  }

  /**
   * Binds {@code values} to a new {@code type} record. {@code path} prefixes key names in errors
   * (e.g. {@code sampling.solver}).
   *
   * @param <O> the options record type
   * @param type an options record class whose components carry {@link Option}
   * @param values option values by component name; missing ones take their defaults
   * @param path the key path of the options in the manifest (may be empty)
   * @return the new record
   * @throws OptionException for an unknown key, a missing required key, a wrong type, an out-of-range value
   *     or a record constructor that rejects the values
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
        throw at(path, oe);
      }
      throw new OptionException(
          "invalid options at '" + (path.isEmpty() ? type.getSimpleName() : path) + "': " + cause.getMessage());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot construct options record " + type.getName(), e);
    }
  }

  /**
   * {@code e} naming {@code path}: as it is when its message already names a key under that path,
   * else prefixed with "invalid options at 'path': ".
   *
   * @param path the key path of the plugin whose options failed (null or empty: leave {@code e} as is)
   * @param e the error
   * @return {@code e} itself, or a new exception with the prefixed message
   */
  public static OptionException at(String path, OptionException e) {
    if (path == null || path.isEmpty() || String.valueOf(e.getMessage()).contains("'" + path)) {
      return e;
    }
    return new OptionException("invalid options at '" + path + "': " + e.getMessage());
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

  /**
   * The manifest spelling of an enum constant: lower case, '-' for '_'.
   *
   * @param e an enum constant
   * @return its name in lower case with '-' for '_'
   */
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
    if (t == double.class) {
      return real(raw, key, o);
    }
    if (t == int.class || t == long.class) {
      return t == int.class ? (Object) (int) integer(raw, key, o, Integer.MIN_VALUE, Integer.MAX_VALUE)
          : (Object) integer(raw, key, o, Long.MIN_VALUE, Long.MAX_VALUE);
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
      if (t == double[].class) {
        for (int i = 0; i < d.length; i++) {
          d[i] = real(items.get(i), key + "[" + i + "]", o);
        }
        return d;
      }
      int[] r = new int[d.length];
      for (int i = 0; i < d.length; i++) {
        r[i] = (int) integer(items.get(i), key + "[" + i + "]", o, Integer.MIN_VALUE, Integer.MAX_VALUE);
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

  /**
   * A double option: any finite number inside the option's range. A literal too large for a double
   * ({@code 1e309}, {@code "1e400"}) is rejected rather than read as infinity; an infinite value
   * ({@code Infinity}) only where the option's default is that same infinity ("no bound").
   */
  private static double real(Object raw, String key, Option o) {
    BigDecimal exact = exact(raw, key, "a number", o);
    double v;
    if (exact == null) {
      v = infinity(raw);
    } else {
      v = exact.doubleValue();
      if (Double.isInfinite(v)) {
        throw new OptionException("value " + raw + " for '" + key + "' is too large for a double (largest "
            + Double.MAX_VALUE + "); allowed " + range(o) + (infiniteDefault(o) ? "; write Infinity for no bound" : ""));
      }
    }
    if (v < o.min() || v > o.max()) {
      throw new OptionException("value " + raw + " for '" + key + "' is out of range: allowed " + range(o)
          + "; set '" + key + "' to a number in that range");
    }
    return v;
  }

  /**
   * An integer option: exactly an integer (no fraction, no rounding of large literals), inside the
   * option's range and the Java type's range {@code [lo, hi]}; never clamped.
   */
  private static long integer(Object raw, String key, Option o, long lo, long hi) {
    BigDecimal exact;
    try {
      exact = exact(raw, key, "an integer", o);
    } catch (OptionException e) {
      if (!Double.isNaN(infinity(raw)) || raw.toString().trim().toLowerCase(Locale.ROOT).matches("[+-]?\\.?nan")
          || (raw instanceof Double d && d.isNaN())) {
        throw new OptionException("value " + raw + " for '" + key + "' is not a finite number; allowed "
            + range(o, lo, hi) + "; give an integer in that range");
      }
      throw e;
    }
    // compare before converting: a literal such as 1e999999999 must not become a billion-digit integer
    BigDecimal min = o.min() == Double.NEGATIVE_INFINITY ? BigDecimal.valueOf(lo) : BigDecimal.valueOf(lo).max(new BigDecimal(o.min()));
    BigDecimal max = o.max() == Double.POSITIVE_INFINITY ? BigDecimal.valueOf(hi) : BigDecimal.valueOf(hi).min(new BigDecimal(o.max()));
    if (exact.compareTo(min) < 0 || exact.compareTo(max) > 0) {
      throw new OptionException("value " + raw + " for '" + key + "' is out of range: allowed " + range(o, lo, hi)
          + "; set '" + key + "' to an integer in that range");
    }
    if (exact.signum() != 0 && exact.stripTrailingZeros().scale() > 0) {
      throw new OptionException("wrong type for '" + key + "': expected an integer, got '" + raw + "'; allowed "
          + range(o, lo, hi));
    }
    return exact.longValue();
  }

  /**
   * The exact value of a number as the YAML parser hands it over (Integer, Long, BigInteger,
   * BigDecimal or Double) or as text; null for an infinite value (checked by the caller). NaN and
   * non-numbers fail naming the key.
   */
  private static BigDecimal exact(Object raw, String key, String expected, Option o) {
    if (raw instanceof BigDecimal b) {
      return b;
    }
    if (raw instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
      return BigDecimal.valueOf(((Number) raw).longValue());
    }
    if (raw instanceof Double || raw instanceof Float) {
      double d = ((Number) raw).doubleValue();
      if (Double.isNaN(d)) {
        throw notFinite(key, raw, o);
      }
      return Double.isInfinite(d) ? infiniteOrFail(raw, key, expected, o) : new BigDecimal(d);
    }
    if (raw instanceof String s) {
      String text = s.trim();
      String word = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
      if (word.equalsIgnoreCase("nan") || word.equalsIgnoreCase(".nan")) {
        throw notFinite(key, raw, o);
      }
      if (word.equals("Infinity") || word.equalsIgnoreCase("inf") || word.equalsIgnoreCase(".inf")) {
        return infiniteOrFail(raw, key, expected, o);
      }
      try {
        return new BigDecimal(text);
      } catch (NumberFormatException e) {
        throw wrongType(key, expected, raw);
      }
    }
    throw wrongType(key, expected, raw);
  }

  private static BigDecimal infiniteOrFail(Object raw, String key, String expected, Option o) {
    if (expected.equals("a number") && infiniteDefault(o) && infinity(raw) == infinity(o.def())) {
      return null; // the default "no bound" written out
    }
    throw notFinite(key, raw, o);
  }

  private static OptionException notFinite(String key, Object raw, Option o) {
    return new OptionException("value " + raw + " for '" + key + "' is not a finite number; allowed " + range(o)
        + "; give a finite value" + (infiniteDefault(o) ? " (or Infinity, the default, for no bound)" : ""));
  }

  /** Whether the option's default is an infinity (a "no bound" sentinel such as t_hi: Infinity). */
  private static boolean infiniteDefault(Option o) {
    return !Double.isNaN(infinity(o.def()));
  }

  /** +inf or -inf for a written infinity, NaN for anything else. */
  private static double infinity(Object raw) {
    if (raw instanceof Number n) {
      return Double.isInfinite(n.doubleValue()) ? n.doubleValue() : Double.NaN;
    }
    String t = raw.toString().trim();
    boolean negative = t.startsWith("-");
    String word = t.startsWith("+") || negative ? t.substring(1) : t;
    if (word.equals("Infinity") || word.equalsIgnoreCase("inf") || word.equalsIgnoreCase(".inf")) {
      return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }
    return Double.NaN;
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

  /** The range of an integer option: the option's bounds within the Java type's [lo, hi]. */
  private static String range(Option o, long lo, long hi) {
    String a = o.min() == Double.NEGATIVE_INFINITY || o.min() < lo ? Long.toString(lo) : fmt(o.min());
    String b = o.max() == Double.POSITIVE_INFINITY || o.max() > hi ? Long.toString(hi) : fmt(o.max());
    return "[" + a + ", " + b + "]";
  }

  private static String fmt(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }

  /**
   * "; did you mean 'x'?" for the closest candidate within a small edit distance, else "".
   *
   * @param word the name the user wrote
   * @param candidates the valid names
   * @return the suggestion, or the empty string when no candidate is close
   */
  public static String suggestion(String word, Collection<String> candidates) {
    String best = closest(word, candidates);
    return best == null ? "" : "; did you mean '" + best + "'?";
  }

  /**
   * The candidate {@code word} most likely stands for, or null: the same name spelt with '_' or ' '
   * for '-' or in another case; else the one candidate it abbreviates (each '-'-separated part a
   * prefix of the candidate's parts, e.g. {@code euler_a} → {@code euler-ancestral}, {@code dopri} →
   * {@code dopri5}; or the initials, {@code em} → {@code euler-maruyama}); else the nearest by edit
   * distance within max(2, length/3), so unrelated words get no suggestion.
   *
   * @param word the name the user wrote
   * @param candidates the valid names
   * @return the closest candidate, or null when none is close enough
   */
  public static String closest(String word, Collection<String> candidates) {
    String w = normal(word);
    for (String c : candidates) {
      if (normal(c).equals(w)) {
        return c;
      }
    }
    String abbreviated = null;
    int matches = 0;
    for (String c : candidates) {
      if (abbreviates(w, normal(c))) {
        abbreviated = c;
        matches++;
      }
    }
    if (matches == 1) {
      return abbreviated;
    }
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = editDistance(w, normal(c));
      if (d < bestD) {
        bestD = d;
        best = c;
      }
    }
    return best != null && bestD <= Math.max(2, word.length() / 3) ? best : null;
  }

  /** Lower case with '-' for '_' and blanks, the spelling of plugin names and enum values. */
  private static String normal(String s) {
    return s.trim().toLowerCase(Locale.ROOT).replace('_', '-').replace(' ', '-');
  }

  /** Whether {@code w} (3+ letters) is a part-wise prefix of {@code c}, or {@code c}'s initials. */
  private static boolean abbreviates(String w, String c) {
    if (w.replace("-", "").length() < 2 || w.equals(c)) {
      return false;
    }
    String[] cp = c.split("-");
    if (cp.length >= 2 && !w.contains("-")) {
      StringBuilder initials = new StringBuilder();
      for (String part : cp) {
        initials.append(part.isEmpty() ? "" : part.charAt(0));
      }
      if (initials.toString().equals(w)) {
        return true;
      }
    }
    if (w.length() < 3) {
      return false;
    }
    String[] wp = w.split("-", -1);
    if (wp.length > cp.length) {
      return false;
    }
    for (int i = 0; i < wp.length; i++) {
      if (wp[i].isEmpty() || !cp[i].startsWith(wp[i])) {
        return false;
      }
    }
    return true;
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

  /**
   * Splits a plugin spec (a name, or a map with 'name' and options) into name and option map.
   *
   * @param spec a plugin name (String) or a map with {@code name} and options
   * @param path the key path of the spec, for error messages
   * @return the plugin name and a new map of the options without {@code name}
   * @throws OptionException if a map has no string {@code name} or the spec is neither a string nor a map
   */
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
