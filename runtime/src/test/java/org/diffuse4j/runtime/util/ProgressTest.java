package org.diffuse4j.runtime.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private long now = 0;

  private String output() {
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void logModePrintsAboutTenLinesAndAFinalOne() {
    try (Progress p = new Progress("train", 1000, out, false, () -> now)) {
      for (int i = 1; i <= 1000; i++) {
        now += 10_000_000L; // 10 ms per step -> 100 it/s
        p.update(i, "loss 0.5");
      }
    }
    String[] lines = output().split("\n");
    assertThat(lines).hasSize(10); // 10%..90%, then the final line
    assertThat(output()).doesNotContain("\r");
    assertThat(lines[0]).startsWith("train [").contains(" 10%").contains("100/1000")
        .contains("100 it/s").contains("ETA 0:09").contains("loss 0.5");
    assertThat(lines[9]).isEqualTo("train  done 1000 in 0:10  100 it/s  loss 0.5");
  }

  @Test
  void terminalModeRedrawsInPlaceAtMostTenTimesASecond() {
    Progress p = new Progress("sample", 10_000, "samples", out, true, () -> now);
    for (int i = 1; i <= 10_000; i++) {
      now += 100_000L; // 0.1 ms per step: 10 000 steps take one second
      p.update(i, null);
    }
    p.close();
    String s = output();
    long redraws = s.chars().filter(ch -> ch == '\r').count();
    // about 10 redraws during the second, plus the final line.
    assertThat(redraws).isBetween(9L, 12L);
    assertThat(s).endsWith("\n").contains("sample  done 10000 in 0:01  10000 samples/s").doesNotContain("it/s");
    assertThat(s.split("\n")).hasSize(1);
  }

  @Test
  void shorterLinesOverwriteLongerOnesCompletely() {
    Progress p = new Progress("x", 10, out, true, () -> now);
    p.update(1, "a very long extra text that will disappear");
    now += 1_000_000_000L;
    p.update(2, "short");
    String s = output();
    int split = s.lastIndexOf('\r');
    String first = s.substring(1, split);
    String second = s.substring(split + 1);
    assertThat(second).hasSameSizeAs(first).endsWith(" ");
    assertThat(second.trim()).endsWith("short");
  }

  @Test
  void unknownTotalShowsCountAndRate() {
    Progress p = new Progress("steps", 0, out, false, () -> now);
    now = 2_000_000_000L;
    assertThat(p.line(now)).isEqualTo("steps 0  0.0 it/s");
    p.update(50, null);
    assertThat(p.line(now)).isEqualTo("steps 50  25.0 it/s");
    p.close();
    p.close(); // second close is a no-op
    assertThat(output()).isEqualTo("steps  done 50 in 0:02  25.0 it/s\n");
  }

  @Test
  void formatsDurationsAndSlowRates() {
    assertThat(Progress.duration(59_400_000_000L)).isEqualTo("0:59");
    assertThat(Progress.duration(3_725_000_000_000L)).isEqualTo("1:02:05");
    assertThat(Progress.rate(1, 4_000_000_000L)).isEqualTo("4.0 s/it");
    assertThat(Progress.rate(1234, 1_000_000_000L)).isEqualTo("1234 it/s");
    assertThat(Progress.rate(25, 1_000_000_000L, "samples")).isEqualTo("25.0 samples/s");
    assertThat(Progress.rate(1, 4_000_000_000L, "samples")).isEqualTo("4.0 s/sample");
  }
}
