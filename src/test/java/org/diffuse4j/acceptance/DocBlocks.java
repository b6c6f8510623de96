package org.diffuse4j.acceptance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fenced shell blocks (```bash, sh, shell, console) of README.md and docs/*.md, split into
 * commands, with the {@code <!-- docs-test: ... -->} markers written directly above each block.
 *
 * <p>Markers (one per HTML comment, on the lines directly above the fence):
 * <ul>
 *   <li>{@code <!-- docs-test: skip: REASON -->} the block is not run; REASON names the test that
 *       covers it or why it cannot run here (a GPU, a cluster).
 *   <li>{@code <!-- docs-test: skip "TEXT": REASON -->} the block's commands containing TEXT are not run.
 *   <li>{@code <!-- docs-test: ["TEXT"] OPTIONS -->} OPTIONS (e.g. {@code --set training.steps=60
 *       --n 2000}) replace the same option (for --set: the same key) or are added on each
 *       {@code ./diffuse4j} command of the block (containing TEXT if given): a smaller setting of a
 *       command that takes more than a minute. A note may follow after {@code "; "}.
 * </ul>
 */
final class DocBlocks {
  private DocBlocks() {}

  private static final Set<String> SHELLS = Set.of("bash", "sh", "shell", "console");
  private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*docs-test:\\s*(.*?)\\s*-->\\s*$");
  private static final Pattern SKIP = Pattern.compile("^skip(?:\\s+\"([^\"]+)\")?\\s*:\\s*(.*)$");
  private static final Pattern TEXT_OPTIONS = Pattern.compile("^(?:\"([^\"]+)\"\\s+)?(--.*)$");

  /** One marker: a skip (of the block or of its commands containing {@code text}) or options for its commands. */
  record Directive(String text, boolean skip, String reason, List<String> options) {
    boolean applies(Command c) {
      return text == null || c.text().contains(text);
    }
  }

  /** One command of a block (continuation lines joined, comment removed), at its first line. */
  record Command(String file, int line, String text, Map<String, String> env, List<String> words) {
    String where() {
      return file + ":" + line;
    }
  }

  /** A fenced shell block: its file, the line of its opening fence, its markers and commands. */
  record Block(String file, int line, String language, List<Directive> directives, List<Command> commands) {
    /** The reason the whole block is not run, or null. */
    String skipped() {
      return directives.stream().filter(d -> d.skip() && d.text() == null).map(Directive::reason).findFirst().orElse(null);
    }

    /** The reason a command is not run, or null. */
    String skipped(Command c) {
      String all = skipped();
      return all != null ? all
          : directives.stream().filter(d -> d.skip() && d.applies(c)).map(Directive::reason).findFirst().orElse(null);
    }

    /** The options markers give this command. */
    List<String> options(Command c) {
      List<String> o = new ArrayList<>();
      directives.stream().filter(d -> !d.skip() && d.applies(c)).forEach(d -> o.addAll(d.options()));
      return o;
    }
  }

  /** README.md and docs/*.md of the repository, README first. */
  static List<Path> documents(Path root) {
    List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
    try (Stream<Path> s = Files.list(root.resolve("docs"))) {
      s.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(docs::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  /** The shell blocks of one Markdown file; {@code name} is how messages name the file. */
  static List<Block> parse(String name, List<String> lines) {
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String open = lines.get(i).strip();
      if (!open.startsWith("```")) {
        continue;
      }
      String language = open.substring(3).strip();
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).strip().startsWith("```")) {
        end++;
      }
      if (SHELLS.contains(language)) {
        List<Directive> directives = new ArrayList<>();
        for (int m = i - 1; m >= 0; m--) {
          Matcher mm = MARKER.matcher(lines.get(m));
          if (!mm.matches()) {
            break;
          }
          directives.add(0, directive(name + ":" + (m + 1), mm.group(1)));
        }
        Block b = new Block(name, i + 1, language, directives, commands(name, lines.subList(i + 1, Math.min(end, lines.size())), i + 2,
            language.equals("console")));
        for (Directive d : directives) {
          if (d.text() != null && b.commands().stream().noneMatch(d::applies)) {
            throw new IllegalArgumentException(name + ":" + (i + 1) + ": the docs-test marker's text \"" + d.text()
                + "\" is in none of the block's commands");
          }
        }
        blocks.add(b);
      }
      i = end;
    }
    return blocks;
  }

  static Directive directive(String where, String body) {
    Matcher s = SKIP.matcher(body);
    if (s.matches()) {
      if (s.group(2).isBlank()) {
        throw new IllegalArgumentException(where + ": a docs-test skip needs a reason (the test that covers it, or why it cannot run)");
      }
      return new Directive(s.group(1), true, s.group(2), List.of());
    }
    Matcher o = TEXT_OPTIONS.matcher(body.contains("; ") ? body.substring(0, body.indexOf("; ")) : body);
    if (o.matches()) {
      return new Directive(o.group(1), false, null, words(o.group(2)));
    }
    throw new IllegalArgumentException(where + ": unknown docs-test marker '" + body
        + "' (skip: REASON, skip \"TEXT\": REASON, or [\"TEXT\"] --OPTIONS)");
  }

  private static List<Command> commands(String file, List<String> body, int firstLine, boolean console) {
    List<Command> out = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    int start = -1;
    for (int k = 0; k < body.size(); k++) {
      String line = body.get(k).strip();
      if (text.length() == 0) {
        if (console) {
          if (!line.startsWith("$ ")) {
            continue;
          }
          line = line.substring(2);
        }
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        start = firstLine + k;
      }
      line = withoutComment(line);
      if (line.endsWith("\\")) {
        text.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      text.append(line);
      for (String part : splitAnd(text.toString())) {
        List<String> words = words(part);
        Map<String, String> env = new LinkedHashMap<>();
        while (!words.isEmpty() && words.get(0).matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
          String w = words.remove(0);
          env.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
        }
        out.add(new Command(file, start, part.strip(), env, words));
      }
      text.setLength(0);
    }
    return out;
  }

  /** The line without a trailing {@code # comment} (a '#' after a space, outside quotes). */
  static String withoutComment(String line) {
    char quote = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return line.substring(0, i).stripTrailing();
      }
    }
    return line.stripTrailing();
  }

  /** Splits at {@code &&} outside quotes. */
  static List<String> splitAnd(String text) {
    List<String> parts = new ArrayList<>();
    char quote = 0;
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '&' && i + 1 < text.length() && text.charAt(i + 1) == '&') {
        parts.add(text.substring(from, i));
        from = i + 2;
        i++;
      }
    }
    parts.add(text.substring(from));
    return parts;
  }

  /** Shell words: whitespace-separated, with '...' and "..." quoting and backslash escapes outside single quotes. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean in = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote == '\'') {
        if (c == '\'') {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (quote == '"') {
        if (c == '"') {
          quote = 0;
        } else if (c == '\\' && i + 1 < text.length() && "\"\\$`".indexOf(text.charAt(i + 1)) >= 0) {
          w.append(text.charAt(++i));
        } else {
          w.append(c);
        }
      } else if (Character.isWhitespace(c)) {
        if (in) {
          words.add(w.toString());
          w.setLength(0);
          in = false;
        }
      } else {
        in = true;
        if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '\\' && i + 1 < text.length()) {
          w.append(text.charAt(++i));
        } else {
          w.append(c);
        }
      }
    }
    if (in) {
      words.add(w.toString());
    }
    return words;
  }
}
