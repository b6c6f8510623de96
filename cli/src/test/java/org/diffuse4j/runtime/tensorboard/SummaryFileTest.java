package org.diffuse4j.runtime.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

class SummaryFileTest {
  @TempDir Path dir;

  @Test
  void crcMatchesTheTfRecordReferenceValues() {
    // CRC32C("123456789") = 0xE3069283 (RFC 3720 check value); masking is TFRecord's rotate-and-add.
    byte[] digits = "123456789".getBytes(StandardCharsets.US_ASCII);
    int crc = 0xE3069283;
    assertThat(EventFiles.maskedCrc(digits, 0, digits.length)).isEqualTo(((crc >>> 15) | (crc << 17)) + 0xa282ead8);
  }

  @Test
  void scalarsImagesAndTextReadBackExactly() throws IOException {
    byte[] pixels = new byte[2 * 3 * 3];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 14);
    }
    try (SummaryFile f = new SummaryFile(dir.resolve("tb"))) {
      f.text("manifest", 0, "    schedule: vp");
      for (int step = 1; step <= 5; step++) {
        f.scalar("loss", step, 1.0 / step);
        f.scalar("learning_rate", step, 1e-3 * step);
      }
      f.image("samples", 5, pixels, 2, 3, 3);
    }
    List<Event> events = EventFiles.readAll(dir.resolve("tb"));
    assertThat(events.get(0).getFileVersion()).isEqualTo("brain.Event:2");
    int losses = 0;
    int rates = 0;
    boolean image = false;
    boolean text = false;
    for (Event e : events) {
      for (Summary.Value v : e.getSummary().getValueList()) {
        switch (v.getTag()) {
          case "loss" -> {
            assertThat(value(v)).isEqualTo((float) (1.0 / e.getStep()));
            losses++;
          }
          case "learning_rate" -> {
            assertThat(value(v)).isEqualTo((float) (1e-3 * e.getStep()));
            rates++;
          }
          case "samples/image/0" -> { // the image op names single images TAG/image/0
            assertThat(e.getStep()).isEqualTo(5);
            Summary.Image img = v.getImage();
            assertThat(img.getHeight()).isEqualTo(2);
            assertThat(img.getWidth()).isEqualTo(3);
            assertThat(img.getColorspace()).isEqualTo(3);
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(img.getEncodedImageString().toByteArray()));
            for (int y = 0; y < 2; y++) {
              for (int x = 0; x < 3; x++) {
                int k = (y * 3 + x) * 3;
                int expected = ((pixels[k] & 255) << 16) | ((pixels[k + 1] & 255) << 8) | (pixels[k + 2] & 255);
                assertThat(png.getRGB(x, y) & 0xFFFFFF).as("pixel %d,%d", x, y).isEqualTo(expected);
              }
            }
            image = true;
          }
          case "manifest" -> {
            assertThat(v.getMetadata().getPluginData().getPluginName()).isEqualTo("text");
            assertThat(v.getTensor().getStringVal(0).toStringUtf8()).isEqualTo("    schedule: vp");
            text = true;
          }
          default -> throw new AssertionError("unexpected tag " + v.getTag());
        }
      }
    }
    assertThat(losses).isEqualTo(5);
    assertThat(rates).isEqualTo(5);
    assertThat(image).isTrue();
    assertThat(text).isTrue();
  }

  @Test
  void aCorruptedByteIsCaughtByTheCrc() throws IOException {
    try (SummaryFile f = new SummaryFile(dir)) {
      f.scalar("loss", 1, 0.5);
    }
    Path file;
    try (var s = Files.list(dir)) {
      file = s.findFirst().orElseThrow();
    }
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 6] ^= 1; // inside the last record's data
    Files.write(file, bytes);
    assertThatThrownBy(() -> EventFiles.read(file)).hasMessageContaining("bad data CRC");
  }

  /** A scalar written by WriteScalarSummary: simple_value, or a one-element float tensor. */
  static float value(Summary.Value v) {
    if (v.hasTensor()) {
      return v.getTensor().getFloatVal(0);
    }
    return v.getSimpleValue();
  }
}
