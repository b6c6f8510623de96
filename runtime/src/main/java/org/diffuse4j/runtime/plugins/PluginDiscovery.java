package org.diffuse4j.runtime.plugins;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.Module;
import com.google.inject.Stage;
import com.google.inject.TypeLiteral;
import com.google.inject.name.Names;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.diffuse4j.api.plugin.Kind;
import org.diffuse4j.api.plugin.OptionException;
import org.diffuse4j.api.plugin.PluginBundle;
import org.diffuse4j.api.plugin.PluginProvider;
import org.diffuse4j.api.plugin.PluginRegistry;
import org.diffuse4j.api.plugin.PluginRegistry.Entry;

/**
 * Finds plugins: every {@link PluginBundle} (and any Guice {@link Module}) listed under
 * META-INF/services on the classpath or in a jar of the plugins folder ({@code --plugins DIR} or
 * {@value #ENV}). Duplicate names are rejected before Guice runs, naming both sources; then each
 * bundle becomes a Guice module binding its providers into one MapBinder per kind, and the injected
 * maps fill the {@link PluginRegistry} the rest of the runtime uses.
 */
public final class PluginDiscovery {
  /** Environment variable naming the plugins folder when {@code --plugins} is not given. */
  public static final String ENV = "DIFFUSE4J_PLUGINS";

  private PluginDiscovery() {}

  /** The folder given on the command line, else the environment's, else none. */
  public static Path pluginsFolder(Path fromCli) {
    if (fromCli != null) {
      return fromCli;
    }
    String env = System.getenv(ENV);
    return env == null || env.isBlank() ? null : Path.of(env);
  }

  /**
   * One class loader per jar in {@code folder} (sorted by name), each on top of {@code parent}. Jars
   * are isolated from each other, so two jars that ship the same classes still show up as two
   * sources, and their clash is reported instead of one silently shadowing the other.
   */
  public static List<ClassLoader> jarLoaders(Path folder, ClassLoader parent) {
    if (folder == null) {
      return List.of();
    }
    if (!Files.isDirectory(folder)) {
      throw new OptionException("plugins folder '" + folder + "' does not exist or is not a folder");
    }
    List<ClassLoader> loaders = new ArrayList<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
        loaders.add(new URLClassLoader(jar.getFileName().toString(), new URL[] {jar.toUri().toURL()}, parent));
      }
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new OptionException("cannot list plugins folder '" + folder + "': " + e.getMessage());
    }
    return loaders;
  }

  /** Discovers plugins on the runtime's classpath plus the jars of the given folder (may be null). */
  public static PluginRegistry discover(Path folder) {
    ClassLoader parent = PluginDiscovery.class.getClassLoader();
    List<ClassLoader> jars = jarLoaders(folder, parent);
    try {
      List<PluginBundle> bundles = new ArrayList<>(load(PluginBundle.class, parent, false));
      bundles.sort(Comparator.comparing(b -> b.getClass().getName()));
      List<Module> guiceModules = new ArrayList<>(load(Module.class, parent, false));
      for (ClassLoader jar : jars) {
        bundles.addAll(load(PluginBundle.class, jar, true));
        guiceModules.addAll(load(Module.class, jar, true));
      }
      return wire(bundles, guiceModules);
    } catch (ServiceConfigurationError e) {
      throw new OptionException("cannot load a plugin: " + e.getMessage());
    }
  }

  /** Services visible to {@code loader}; with {@code ownOnly}, only those defined by that loader itself. */
  private static <S> List<S> load(Class<S> service, ClassLoader loader, boolean ownOnly) {
    return ServiceLoader.load(service, loader).stream()
        .filter(p -> !ownOnly || p.type().getClassLoader() == loader)
        .map(ServiceLoader.Provider::get)
        .toList();
  }

  private static PluginRegistry wire(List<PluginBundle> bundles, List<Module> guiceModules) {

    // 1. duplicates, with both sources named, before Guice sees anything
    PluginRegistry check = new PluginRegistry();
    List<Module> modules = new ArrayList<>();
    modules.add(new AbstractModule() {
      @Override
      protected void configure() {
        for (Kind k : Kind.values()) {
          BundleModule.binder(binder(), k); // every kind's map exists even when empty
        }
      }
    });
    for (PluginBundle b : bundles) {
      String source = PluginRegistry.sourceOf(b.getClass());
      for (PluginProvider<?> p : b.providers()) {
        check.add(p, source);
      }
      modules.add(new BundleModule(b, source));
    }
    // 2. plugins that ship their own Guice module
    modules.addAll(guiceModules);

    // 3. Guice builds the per-kind maps
    Injector injector;
    try {
      injector = Guice.createInjector(Stage.PRODUCTION, modules);
    } catch (CreationException e) {
      throw new OptionException("plugin wiring failed: " + e.getErrorMessages().iterator().next().getMessage());
    }
    PluginRegistry registry = new PluginRegistry();
    for (Kind k : Kind.values()) {
      Map<String, Entry> map = injector.getInstance(Key.get(new TypeLiteral<Map<String, Entry>>() {}, Names.named(k.id())));
      map.values().forEach(e -> registry.add(e.provider(), e.source()));
    }
    return registry;
  }
}
