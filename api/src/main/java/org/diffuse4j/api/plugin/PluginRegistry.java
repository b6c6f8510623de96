package org.diffuse4j.api.plugin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Plugins by kind and name, each with the source (jar or class) it came from, and the one way to
 * build a plugin from a spec: look up, bind and validate options, create. The runtime fills it
 * through Guice; tests and simple embedders use {@link #discover}.
 */
public final class PluginRegistry implements PluginContext {

  /** A provider and where it came from. */
  public record Entry(PluginProvider<?> provider, String source) {}

  private final Map<Kind, Map<String, Entry>> byKind = new LinkedHashMap<>();

  /** An empty registry. */
  public PluginRegistry() {
    for (Kind k : Kind.values()) {
      byKind.put(k, new TreeMap<>());
    }
  }

  /** Registers a provider; a second provider of the same kind and name fails naming both sources. */
  public PluginRegistry add(PluginProvider<?> p, String source) {
    PluginInfo info = p.info();
    Entry old = byKind.get(info.kind()).get(info.name());
    if (old != null) {
      throw new OptionException(
          "duplicate " + info.kind().id() + " plugin '" + info.name() + "': provided by both "
              + old.source() + " and " + source + "; remove one of the jars or rename the plugin");
    }
    byKind.get(info.kind()).put(info.name(), new Entry(p, source));
    return this;
  }

  /** Every bundle visible to {@code loader} through {@link ServiceLoader}. */
  public static PluginRegistry discover(ClassLoader loader) {
    PluginRegistry r = new PluginRegistry();
    for (PluginBundle b : ServiceLoader.load(PluginBundle.class, loader)) {
      for (PluginProvider<?> p : b.providers()) {
        r.add(p, sourceOf(b.getClass()));
      }
    }
    return r;
  }

  /** A readable source for a class: its jar file name, or its class name when not from a jar. */
  public static String sourceOf(Class<?> c) {
    try {
      var cs = c.getProtectionDomain().getCodeSource();
      if (cs != null && cs.getLocation() != null) {
        String loc = cs.getLocation().getPath();
        if (loc.endsWith(".jar")) {
          return loc.substring(loc.lastIndexOf('/') + 1) + " (" + c.getName() + ")";
        }
        return c.getName() + " (" + loc + ")";
      }
    } catch (SecurityException ignored) {
      // fall through
    }
    return c.getName();
  }

  /** Entries of one kind, sorted by name. */
  public Map<String, Entry> entries(Kind kind) {
    return Collections.unmodifiableMap(byKind.get(kind));
  }

  /** Every entry, kinds in declaration order. */
  public List<Entry> all() {
    List<Entry> out = new ArrayList<>();
    byKind.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  /** The provider for (kind, name), or a clear error with the closest name and the list. */
  public PluginProvider<?> provider(Kind kind, String name, String path) {
    Entry e = byKind.get(kind).get(name);
    if (e == null) {
      var names = byKind.get(kind).keySet();
      throw new OptionException(
          "unknown " + kind.id() + " '" + name + "'" + (path.isEmpty() ? "" : " at '" + path + "'")
              + Options.suggestion(name, names) + "; available: " + String.join(", ", names));
    }
    return e.provider();
  }

  /** Validates the spec's options and builds the plugin. */
  @Override
  @SuppressWarnings("unchecked")
  public <T> T create(Kind kind, Object spec, String path) {
    Map.Entry<String, Map<String, Object>> s = resolveAlias(kind, Options.splitSpec(spec, path));
    PluginProvider<Record> p = (PluginProvider<Record>) provider(kind, s.getKey(), path);
    Record options = Options.bind(p.optionsType(), s.getValue(), path);
    return (T) p.create(options, this);
  }

  /**
   * A name no plugin has but another library uses ({@link KnownNames}, e.g. {@code dpmpp_2m},
   * {@code k-diffusion:euler}) becomes our plugin with the alias' options under the user's.
   */
  public Map.Entry<String, Map<String, Object>> resolveAlias(Kind kind, Map.Entry<String, Map<String, Object>> spec) {
    if (byKind.get(kind).containsKey(spec.getKey())) {
      return spec;
    }
    KnownNames.Alias a = KnownNames.find(kind, spec.getKey());
    return a == null || !byKind.get(kind).containsKey(a.target()) ? spec : Map.entry(a.target(), a.spec(spec.getValue()));
  }
}
