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

  /**
   * A provider and where it came from.
   *
   * @param provider the registered provider
   * @param source the jar or class it came from, see {@link #sourceOf(Class)}
   */
  public record Entry(PluginProvider<?> provider, String source) {}

  private final Map<Kind, Map<String, Entry>> byKind = new LinkedHashMap<>();

  /** An empty registry. */
  public PluginRegistry() {
    for (Kind k : Kind.values()) {
      byKind.put(k, new TreeMap<>());
    }
  }

  /**
   * Registers a provider; a second provider of the same kind and name fails naming both sources.
   *
   * @param p the provider to register
   * @param source where it came from (a jar or class name), shown in errors
   * @return this registry, for chaining
   * @throws OptionException if a provider of the same kind and name is registered already
   */
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

  /**
   * Every bundle visible to {@code loader} through {@link ServiceLoader}. A bundle that cannot be
   * loaded or created, or whose {@code providers()} throws, fails naming it and the root cause.
   *
   * @param loader the class loader to search for {@link PluginBundle} services
   * @return a new registry with every provider of every bundle found
   * @throws OptionException if a bundle cannot be loaded, or two providers share a kind and name
   */
  public static PluginRegistry discover(ClassLoader loader) {
    PluginRegistry r = new PluginRegistry();
    List<PluginBundle> bundles = new ArrayList<>();
    try {
      ServiceLoader.load(PluginBundle.class, loader).forEach(bundles::add);
    } catch (java.util.ServiceConfigurationError | LinkageError e) {
      throw new OptionException("cannot load a plugin bundle: " + rootCause(e), e);
    }
    for (PluginBundle b : bundles) {
      List<PluginProvider<?>> providers;
      try {
        providers = List.copyOf(b.providers());
      } catch (RuntimeException | LinkageError e) {
        throw new OptionException(sourceOf(b.getClass()) + ": " + b.getClass().getName() + ".providers() failed: "
            + rootCause(e), e);
      }
      for (PluginProvider<?> p : providers) {
        r.add(p, sourceOf(b.getClass()));
      }
    }
    return r;
  }

  /**
   * A readable source for a class: its jar file name, or its class name when not from a jar.
   *
   * @param c the class to locate
   * @return "jar-name.jar (class name)", "class name (location)" or the class name alone
   */
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

  /**
   * Entries of one kind, sorted by name.
   *
   * @param kind the plugin kind
   * @return an unmodifiable view of the entries by name, sorted by name
   */
  public Map<String, Entry> entries(Kind kind) {
    return Collections.unmodifiableMap(byKind.get(kind));
  }

  /**
   * Every entry, kinds in declaration order.
   *
   * @return a new list of every entry, by kind (declaration order) then name
   */
  public List<Entry> all() {
    List<Entry> out = new ArrayList<>();
    byKind.values().forEach(m -> out.addAll(m.values()));
    return out;
  }

  /**
   * The provider for (kind, name), or a clear error with the closest name and the list.
   *
   * @param kind the plugin kind
   * @param name the plugin's name
   * @param path the key path the name was given at, for the error message (may be empty)
   * @return the registered provider
   * @throws OptionException if no plugin of that kind has that name
   */
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

  /**
   * Validates the spec's options and builds the plugin. The plugin gets a context rooted at
   * {@code path}, so what it builds in turn is named by its whole key path
   * ({@code objective.time.schedule}); an IllegalArgumentException from its factory becomes an
   * OptionException naming that path.
   */
  @Override
  @SuppressWarnings("unchecked")
  public <T> T create(Kind kind, Object spec, String path) {
    Map.Entry<String, Map<String, Object>> s = resolveAlias(kind, Options.splitSpec(spec, path));
    PluginProvider<Record> p = (PluginProvider<Record>) provider(kind, s.getKey(), path);
    Record options = Options.bind(p.optionsType(), s.getValue(), path);
    try {
      return (T) p.create(options, at(path));
    } catch (IllegalArgumentException e) {
      throw new OptionException("invalid options at '" + path + "' (" + kind.id() + " '" + s.getKey() + "'): "
          + e.getMessage());
    } catch (OptionException e) {
      throw Options.at(path, e);
    } catch (RuntimeException | LinkageError e) {
      throw new OptionException("'" + path + "': the " + kind.id() + " plugin '" + s.getKey() + "' from "
          + byKind.get(kind).get(s.getKey()).source() + " failed to build: " + rootCause(e), e);
    }
  }

  /**
   * A context that builds plugins under {@code base} (relative paths are joined to it).
   *
   * @param base the key path of the plugin the context is for (null or empty: the root)
   * @return a context whose paths are joined to {@code base}
   */
  public PluginContext at(String base) {
    PluginRegistry registry = this;
    return new PluginContext() {
      @Override
      public <T> T create(Kind kind, Object spec, String relative) {
        return registry.create(kind, spec, path(relative));
      }

      @Override
      public String path(String relative) {
        if (base == null || base.isEmpty()) {
          return relative;
        }
        if (relative.isEmpty()) {
          return base;
        }
        return relative.startsWith("[") ? base + relative : base + "." + relative;
      }
    };
  }

  /**
   * The innermost cause of {@code e} as "Type: message", for errors that must name the real reason.
   *
   * @param e the failure
   * @return the simple class name of the innermost cause, with the first line of its message if any
   */
  public static String rootCause(Throwable e) {
    Throwable r = e;
    while (r.getCause() != null && r.getCause() != r) {
      r = r.getCause();
    }
    String m = r.getMessage();
    return r.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.lines().findFirst().orElse(""));
  }

  /**
   * A name no plugin has but another library uses ({@link KnownNames}, e.g. {@code dpmpp_2m},
   * {@code k-diffusion:euler}) becomes our plugin with the alias' options under the user's.
   *
   * @param kind the plugin kind
   * @param spec the plugin name and the user's options
   * @return the spec unchanged when the name is a plugin (or no alias of a registered plugin), else the
   *     alias's target with the alias's options overridden by the user's
   */
  public Map.Entry<String, Map<String, Object>> resolveAlias(Kind kind, Map.Entry<String, Map<String, Object>> spec) {
    if (byKind.get(kind).containsKey(spec.getKey())) {
      return spec;
    }
    KnownNames.Alias a = KnownNames.find(kind, spec.getKey());
    return a == null || !byKind.get(kind).containsKey(a.target()) ? spec : Map.entry(a.target(), a.spec(spec.getValue()));
  }
}
