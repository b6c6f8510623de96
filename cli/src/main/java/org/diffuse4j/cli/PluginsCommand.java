package org.diffuse4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffuse4j.api.plugin.PluginInfo;
import org.diffuse4j.api.plugin.PluginRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code plugins [--json]}: every discovered plugin with kind, name, description, reference and source. */
@Command(name = "plugins", mixinStandardHelpOptions = true, description = "List the discovered plugins.")
final class PluginsCommand implements Callable<Integer> {
  @ParentCommand Main main;

  @Option(names = "--json", description = "print a JSON array")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<Map<String, String>> rows = new ArrayList<>();
    for (PluginRegistry.Entry e : main.registry().all()) {
      PluginInfo i = e.provider().info();
      Map<String, String> row = new LinkedHashMap<>();
      row.put("kind", i.kind().id());
      row.put("name", i.name());
      row.put("description", i.description());
      row.put("reference", i.reference());
      row.put("source", e.source());
      rows.add(row);
    }
    if (json) {
      main.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows));
      return 0;
    }
    for (Map<String, String> r : rows) {
      main.out.printf("%-16s %-16s %s  [%s]%n", r.get("kind"), r.get("name"), r.get("description"), r.get("source"));
    }
    return 0;
  }
}
