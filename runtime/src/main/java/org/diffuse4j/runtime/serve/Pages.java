package org.diffuse4j.runtime.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.diffuse4j.runtime.manifest.ManifestLoader;

/** The viewer's HTML pages, rendered on the server; every value from a run folder is escaped. */
final class Pages {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Metrics the run list shows as columns, when a run has them. */
  static final List<String> KEY_METRICS = List.of("sliced_wasserstein", "final_loss", "nfe", "train_seconds");

  private Pages() {}

  /** The run list: sortable, filterable, with a checkbox per run for the comparison. */
  static String list(List<RunFolders.Summary> runs) {
    StringBuilder b = new StringBuilder();
    b.append("<h1>Runs</h1>");
    b.append("<p class=bar><input id=filter type=search placeholder='filter: any text, e.g. vp or done'> ")
        .append("<button id=compare-selected disabled>compare selected</button> <span id=count>")
        .append(runs.size()).append(" runs</span></p>");
    if (runs.isEmpty()) {
      b.append("<p id=empty>No run folders here yet (a run folder holds a manifest.yaml).</p>");
    }
    b.append("<table id=runs class=sortable><thead><tr><th></th><th data-sort=text>name</th><th data-sort=text>date</th>")
        .append("<th data-sort=text>status</th>");
    List<String> choiceKeys = runs.isEmpty() ? List.of() : new ArrayList<>(runs.get(0).choices().keySet());
    for (String k : choiceKeys) {
      b.append("<th data-sort=text>").append(esc(k)).append("</th>");
    }
    for (String k : KEY_METRICS) {
      b.append("<th data-sort=number>").append(esc(k)).append("</th>");
    }
    b.append("</tr></thead><tbody>");
    for (RunFolders.Summary r : runs) {
      b.append("<tr data-run=\"").append(esc(r.name())).append("\"><td><input type=checkbox class=pick value=\"")
          .append(esc(r.name())).append("\"></td><td><a href=\"/run/").append(url(r.name())).append("\">")
          .append(esc(r.name())).append("</a></td><td>").append(esc(r.date())).append("</td><td class=\"status ")
          .append(esc(r.status())).append("\">").append(esc(r.status())).append("</td>");
      for (String k : choiceKeys) {
        b.append("<td>").append(esc(r.choices().getOrDefault(k, "-"))).append("</td>");
      }
      for (String k : KEY_METRICS) {
        b.append("<td class=num>").append(esc(number(r.metrics().get(k)))).append("</td>");
      }
      b.append("</tr>");
    }
    b.append("</tbody></table>");
    return page("Runs", "list", b.toString(), Map.of());
  }

  /** One run: status, choices, metrics, interactive curves, samples, sample folders, manifest, files. */
  static String run(RunFolders.Summary s, Map<String, Object> d, List<RunFolders.Summary> all) {
    StringBuilder b = new StringBuilder();
    b.append("<p class=crumbs><a href=\"/\">runs</a> / ").append(esc(s.name())).append("</p>");
    b.append("<h1>").append(esc(s.name())).append(" <span id=status class=\"status ").append(esc(s.status())).append("\">")
        .append(esc(s.status())).append("</span></h1>");
    b.append("<p id=finished-note hidden>The run has finished: <a href=\"\">reload</a> to see its samples.</p>");
    b.append("<p class=choices>");
    s.choices().forEach((k, v) -> b.append("<span><b>").append(esc(k)).append("</b> ").append(esc(v)).append("</span> "));
    b.append("</p>");
    b.append("<h2>Training</h2><div class=controls><label><input type=checkbox id=logy checked> log scale</label> ")
        .append("<button id=reset-zoom>reset zoom</button> <span class=hint>drag across a chart to zoom</span></div>");
    b.append("<div id=loss-chart class=chart></div><div id=lr-chart class=chart></div><div id=grad-chart class=chart></div>");
    b.append("<h2>Metrics</h2>").append(metricsTable(List.of(s.name()), List.of(cast(d.get("metrics")))));
    Map<String, Object> evaluation = cast(d.get("evaluation"));
    if (!evaluation.isEmpty()) {
      b.append("<h3>evaluation.json</h3>").append(metricsTable(List.of(s.name()), List.of(evaluation)));
    }
    @SuppressWarnings("unchecked")
    List<String> files = (List<String>) d.get("files");
    b.append("<h2>Samples</h2><div class=images>");
    for (String f : List.of("samples.png", "loss.png")) {
      if (files.contains(f)) {
        b.append(figure(s.name(), f, f));
      }
    }
    b.append("</div>");
    @SuppressWarnings("unchecked")
    Map<String, List<String>> folders = (Map<String, List<String>>) d.get("sampleFolders");
    Map<String, Object> folderMetrics = cast(d.get("sampleFolderMetrics"));
    if (!folders.isEmpty()) {
      b.append("<h2>Sample folders</h2>");
      folders.forEach((folder, names) -> {
        b.append("<section class=folder id=\"folder-").append(esc(folder)).append("\"><h3>samples/").append(esc(folder)).append("</h3><div class=images>");
        for (String f : names) {
          if (f.endsWith(".png")) {
            b.append(figure(s.name(), "samples/" + folder + "/" + f, f));
          }
        }
        b.append("</div>");
        Map<String, Object> m = cast(folderMetrics.get(folder));
        if (!m.isEmpty()) {
          b.append(metricsTable(List.of(folder), List.of(m)));
        }
        b.append("</section>");
      });
    }
    b.append("<h2>Compare</h2><form id=compare-form action=\"/compare\" method=get><input type=hidden name=run value=\"")
        .append(esc(s.name())).append("\">");
    for (RunFolders.Summary o : all) {
      if (!o.name().equals(s.name())) {
        b.append("<label class=pick-run><input type=checkbox name=run value=\"").append(esc(o.name())).append("\"> ")
            .append(esc(o.name())).append("</label> ");
      }
    }
    b.append("<button id=compare-go type=submit>compare</button></form>");
    b.append("<h2>Manifest</h2><pre id=manifest>").append(esc(ManifestLoader.toYaml(cast(d.get("manifest"))))).append("</pre>");
    b.append("<h2>Files</h2><ul id=files>");
    for (String f : files) {
      b.append("<li><a href=\"").append(fileUrl(s.name(), f)).append("\">").append(esc(f)).append("</a></li>");
    }
    b.append("</ul>");
    return page(s.name(), "run", b.toString(), Map.of("runs", List.of(s.name())));
  }

  /** Two or more runs: manifest differences, overlaid losses, samples side by side, one metrics table. */
  @SuppressWarnings("unchecked")
  static String compare(List<Map<String, Object>> details) {
    List<String> names = new ArrayList<>();
    List<Map<String, Object>> manifests = new ArrayList<>();
    List<Map<String, Object>> metrics = new ArrayList<>();
    for (Map<String, Object> d : details) {
      RunFolders.Summary s = (RunFolders.Summary) d.get("summary");
      names.add(s == null ? "?" : s.name());
      manifests.add(cast(d.get("manifest")));
      metrics.add(cast(d.get("metrics")));
    }
    StringBuilder b = new StringBuilder();
    b.append("<p class=crumbs><a href=\"/\">runs</a> / compare</p><h1>Compare ").append(esc(String.join(", ", names))).append("</h1>");
    b.append("<h2>Manifest</h2><label><input type=checkbox id=only-diff> only differences</label>");
    b.append("<table id=manifest-diff><thead><tr><th>key</th>");
    names.forEach(n -> b.append("<th>").append(esc(n)).append("</th>"));
    b.append("</tr></thead><tbody>");
    List<Map<String, String>> flat = manifests.stream().map(Pages::flatten).toList();
    Set<String> keys = new LinkedHashSet<>();
    flat.forEach(f -> keys.addAll(f.keySet()));
    for (String k : keys) {
      List<String> values = flat.stream().map(f -> f.getOrDefault(k, "")).toList();
      boolean differs = values.stream().distinct().count() > 1;
      b.append("<tr").append(differs ? " class=diff" : "").append("><td>").append(esc(k)).append("</td>");
      values.forEach(v -> b.append("<td>").append(esc(v)).append("</td>"));
      b.append("</tr>");
    }
    b.append("</tbody></table>");
    b.append("<h2>Training</h2><div class=controls><label><input type=checkbox id=logy checked> log scale</label> ")
        .append("<button id=reset-zoom>reset zoom</button></div><div id=loss-chart class=chart></div><div id=lr-chart class=chart></div>");
    b.append("<h2>Samples</h2><div class=\"images side-by-side\">");
    for (int i = 0; i < details.size(); i++) {
      List<String> files = (List<String>) details.get(i).get("files");
      if (files.contains("samples.png")) {
        b.append(figure(names.get(i), "samples.png", names.get(i)));
      } else {
        b.append("<figure><figcaption>").append(esc(names.get(i))).append(": no samples.png</figcaption></figure>");
      }
    }
    b.append("</div><h2>Metrics</h2>").append(metricsTable(names, metrics));
    return page("compare", "compare", b.toString(), Map.of("runs", names));
  }

  static String notFound(String what) {
    return page("not found", "missing", "<h1>Not found</h1><p>" + esc(what) + "</p><p><a href=\"/\">all runs</a></p>", Map.of());
  }

  /** A table: one row per metric, one column per run; rows whose values differ are marked. */
  static String metricsTable(List<String> names, List<Map<String, Object>> metrics) {
    Set<String> keys = new LinkedHashSet<>();
    metrics.forEach(m -> keys.addAll(m.keySet()));
    StringBuilder b = new StringBuilder("<table class=metrics><thead><tr><th>metric</th>");
    names.forEach(n -> b.append("<th>").append(esc(n)).append("</th>"));
    b.append("</tr></thead><tbody>");
    for (String k : keys) {
      b.append("<tr><td>").append(esc(k)).append("</td>");
      for (Map<String, Object> m : metrics) {
        b.append("<td class=num>").append(esc(number(m.get(k)))).append("</td>");
      }
      b.append("</tr>");
    }
    if (keys.isEmpty()) {
      b.append("<tr><td colspan=").append(names.size() + 1).append(">no metrics.json yet</td></tr>");
    }
    return b.append("</tbody></table>").toString();
  }

  /** Nested maps as dotted keys with text values. */
  static Map<String, String> flatten(Map<String, Object> tree) {
    Map<String, String> out = new LinkedHashMap<>();
    flatten("", tree, out);
    return out;
  }

  private static void flatten(String prefix, Object v, Map<String, String> out) {
    if (v instanceof Map<?, ?> m) {
      m.forEach((k, x) -> flatten(prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, x, out));
    } else {
      out.put(prefix, Objects.toString(v, "null"));
    }
  }

  private static String figure(String run, String path, String caption) {
    return "<figure><a href=\"" + fileUrl(run, path) + "\"><img alt=\"" + esc(caption) + "\" src=\"" + fileUrl(run, path)
        + "\"></a><figcaption>" + esc(caption) + "</figcaption></figure>";
  }

  static String fileUrl(String run, String path) {
    StringBuilder b = new StringBuilder("/files/").append(url(run));
    for (String seg : path.split("/")) {
      b.append('/').append(url(seg));
    }
    return b.toString();
  }

  static String url(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String number(Object v) {
    if (v instanceof Double d) {
      return Double.isFinite(d) ? String.format(Locale.ROOT, Math.abs(d) >= 1e4 || (Math.abs(d) < 1e-3 && d != 0) ? "%.4g" : "%.4f", d) : String.valueOf(d);
    }
    return v == null ? "" : String.valueOf(v);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  private static String page(String title, String kind, String body, Map<String, Object> data) {
    String json;
    try {
      json = JSON.writeValueAsString(data).replace("<", "\\u003c");
    } catch (JsonProcessingException e) {
      json = "{}";
    }
    return "<!doctype html><html lang=en><head><meta charset=utf-8><title>" + esc(title) + " · diffuse4j</title>"
        + "<meta name=viewport content=\"width=device-width, initial-scale=1\">"
        + "<link rel=stylesheet href=\"/static/viewer.css\"></head><body data-page=\"" + kind + "\">"
        + "<main>" + body + "</main><script id=page-data type=application/json>" + json + "</script>"
        + "<script src=\"/static/viewer.js\"></script></body></html>";
  }
}
