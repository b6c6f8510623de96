package org.diffuse4j.runtime.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.diffuse4j.runtime.tensorboard.SummaryFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer in a real browser: Debian's chromium, headless, driven by chromium-driver through
 * Selenium (.ci/run installs both). Loads every page, checks what is drawn, clicks from a run to a
 * comparison, watches a live run grow, and saves screenshots (target/viewer-screenshots/) that must
 * not be blank.
 */
class ViewerBrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SHOTS = Path.of("target", "viewer-screenshots");

  @TempDir static Path base;
  @TempDir static Path profile;
  static Path runs;
  static RunServer server;
  static WebDriver browser;

  @BeforeAll
  static void start() throws IOException {
    assertThat(CHROMIUM).as("Debian's chromium (apt-get install chromium chromium-driver; .ci/run does)").exists();
    assertThat(DRIVER).as("Debian's chromium-driver (apt-get install chromium-driver)").exists();
    runs = ExampleRuns.createWithFashion(base);
    server = new RunServer(new RunFolders(runs), "127.0.0.1", 0);
    server.start();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1280,1000");
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    browser = new ChromeDriver(service, options);
    Files.createDirectories(SHOTS);
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void listSortsFiltersAndLeadsThroughARunToAComparison() throws IOException {
    browser.get(server.uri().toString());
    waitLoaded();
    List<String> names = rowNames();
    assertThat(names).containsExactlyInAnyOrder("moons", "moons-vp", "live", "broken", "fashion-mnist");
    assertThat(browser.findElement(By.cssSelector("tr[data-run='live'] td.status")).getText()).isEqualTo("training");
    assertThat(browser.findElement(By.cssSelector("tr[data-run='broken'] td.status")).getText()).isEqualTo("failed");
    screenshot("viewer-runs.png");

    browser.findElement(By.xpath("//th[text()='name']")).click();
    assertThat(rowNames()).containsExactly("broken", "fashion-mnist", "live", "moons", "moons-vp");
    browser.findElement(By.xpath("//th[text()='name']")).click();
    assertThat(rowNames()).containsExactly("moons-vp", "moons", "live", "fashion-mnist", "broken");

    browser.findElement(By.id("filter")).sendKeys("fashion");
    assertThat(visibleRowNames()).containsExactly("fashion-mnist");
    browser.findElement(By.id("filter")).clear();
    browser.findElement(By.id("filter")).sendKeys("x"); // clear() fires no input event: type and delete
    browser.findElement(By.id("filter")).sendKeys(org.openqa.selenium.Keys.BACK_SPACE);
    assertThat(visibleRowNames()).hasSize(5);

    // run → compare
    browser.findElement(By.linkText("moons")).click();
    waitLoaded();
    assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("moons");
    waitFor("polyline.series");
    WebElement loss = browser.findElement(By.cssSelector("#loss-chart polyline.series"));
    assertThat(loss.getAttribute("points").split(" ")).as("30 per-step losses").hasSize(30);
    assertThat(browser.findElement(By.cssSelector("#loss-chart svg")).getText()).contains("loss (log scale)");
    assertThat(imageLoaded("img[src='/files/moons/samples.png']")).isTrue();
    assertThat(imageLoaded("img[src='/files/moons/samples/euler-8/samples.png']")).isTrue();
    assertThat(browser.findElement(By.id("manifest")).getText()).contains("test-regression", "rectified-flow");
    screenshot("viewer-run.png");

    // log scale off, zoom by dragging, reset
    browser.findElement(By.id("logy")).click();
    assertThat(browser.findElement(By.cssSelector("#loss-chart svg")).getText()).doesNotContain("(log scale)");
    WebElement svg = browser.findElement(By.cssSelector("#loss-chart svg"));
    String before = ticks();
    new Actions(browser).moveToElement(svg, -200, 0).clickAndHold().moveByOffset(150, 0).release().perform();
    assertThat(ticks()).as("x ticks after zooming").isNotEqualTo(before);
    browser.findElement(By.id("reset-zoom")).click();
    assertThat(ticks()).isEqualTo(before);

    browser.findElement(By.cssSelector("#compare-form input[value='moons-vp']")).click();
    browser.findElement(By.id("compare-go")).click();
    waitLoaded();
    assertThat(browser.getCurrentUrl()).contains("/compare?run=moons&run=moons-vp");
    WebElement diff = browser.findElement(By.cssSelector("#manifest-diff tr.diff"));
    assertThat(diff.getText()).contains("schedule", "rectified-flow", "vp");
    assertThat(diff.findElement(By.tagName("td")).getCssValue("background-color")).isNotEqualTo("rgba(0, 0, 0, 0)");
    waitFor("#loss-chart polyline.series");
    assertThat(browser.findElements(By.cssSelector("#loss-chart polyline.series")).size()).as("one loss per run").isGreaterThanOrEqualTo(2);
    assertThat(imageLoaded("img[src='/files/moons/samples.png']")).isTrue();
    assertThat(imageLoaded("img[src='/files/moons-vp/samples.png']")).isTrue();
    assertThat(browser.findElement(By.cssSelector("table.metrics")).getText()).contains("sliced_wasserstein");
    browser.findElement(By.id("only-diff")).click();
    assertThat(browser.findElements(By.cssSelector("#manifest-diff tbody tr")).stream().filter(WebElement::isDisplayed).count())
        .isEqualTo(browser.findElements(By.cssSelector("#manifest-diff tbody tr.diff")).size());
    screenshot("viewer-compare.png");
  }

  @Test
  void imageRunsShowTheGridWithClassNames() throws IOException {
    browser.get(server.uri().resolve("/run/fashion-mnist").toString());
    waitLoaded();
    assertThat(imageLoaded("img[src='/files/fashion-mnist/samples.png']")).isTrue();
    BufferedImage grid = ImageIO.read(runs.resolve("fashion-mnist").resolve("samples.png").toFile());
    assertThat(grid.getHeight()).as("10 class rows").isGreaterThan(10 * 84);
    assertThat(browser.findElement(By.cssSelector("p.choices")).getText()).contains("fashion-mnist", "mlp");
    screenshot("viewer-fashion.png");
  }

  @Test
  void aLiveRunGrowsAndFinishesWithoutReloading() throws Exception {
    browser.get(server.uri().resolve("/run/live").toString());
    waitLoaded();
    waitFor("#loss-chart polyline.series");
    assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("training");
    ((JavascriptExecutor) browser).executeScript("window.__sameDocument = true;");
    int before = browser.findElement(By.cssSelector("#loss-chart polyline.series")).getAttribute("points").split(" ").length;
    try (SummaryFile f = new SummaryFile(runs.resolve("live").resolve("tensorboard"))) {
      for (int s = 30; s <= 60; s += 10) {
        f.scalar("loss", s, 1.0 / s);
      }
    }
    new WebDriverWait(browser, Duration.ofSeconds(15)).until(d ->
        d.findElement(By.cssSelector("#loss-chart polyline.series")).getAttribute("points").split(" ").length >= before + 4);
    Files.writeString(runs.resolve("live").resolve("metrics.json"), "{\"sliced_wasserstein\": 0.5}");
    new WebDriverWait(browser, Duration.ofSeconds(15)).until(d -> d.findElement(By.id("status")).getText().equals("done"));
    assertThat(((JavascriptExecutor) browser).executeScript("return window.__sameDocument === true;")).as("no reload").isEqualTo(true);
    assertThat(browser.findElement(By.id("finished-note")).isDisplayed()).isTrue();
    Files.delete(runs.resolve("live").resolve("metrics.json"));
  }

  private static List<String> rowNames() {
    return browser.findElements(By.cssSelector("#runs tbody tr")).stream().map(tr -> tr.getAttribute("data-run")).toList();
  }

  private static List<String> visibleRowNames() {
    return browser.findElements(By.cssSelector("#runs tbody tr")).stream().filter(WebElement::isDisplayed)
        .map(tr -> tr.getAttribute("data-run")).toList();
  }

  private static String ticks() {
    // one script call reads all labels at once: the live poll may redraw the chart between element reads
    return String.valueOf(((JavascriptExecutor) browser).executeScript(
        "return Array.from(document.querySelectorAll('#loss-chart text.xtick')).map(t => t.textContent.trim()).join(',')"));
  }

  private static void waitLoaded() {
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !String.valueOf(
        ((JavascriptExecutor) d).executeScript("return document.body.dataset.loaded || ''")).isEmpty());
  }

  private static void waitFor(String css) {
    new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !d.findElements(By.cssSelector(css)).isEmpty());
  }

  private static boolean imageLoaded(String css) {
    WebElement img = browser.findElement(By.cssSelector(css));
    new WebDriverWait(browser, Duration.ofSeconds(10)).until(d ->
        Boolean.TRUE.equals(((JavascriptExecutor) d).executeScript("return arguments[0].complete", img)));
    Object w = ((JavascriptExecutor) browser).executeScript("return arguments[0].naturalWidth", img);
    return ((Number) w).intValue() > 0;
  }

  /** Saves a screenshot and checks it is not blank: many colours, and text-dark pixels. */
  private static void screenshot(String name) throws IOException {
    byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
    Files.write(SHOTS.resolve(name), png);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    Set<Integer> colours = new HashSet<>();
    int dark = 0;
    for (int y = 0; y < img.getHeight(); y += 2) {
      for (int x = 0; x < img.getWidth(); x += 2) {
        int rgb = img.getRGB(x, y) & 0xFFFFFF;
        colours.add(rgb);
        if (((rgb >> 16) & 255) < 90 && ((rgb >> 8) & 255) < 90 && (rgb & 255) < 90) {
          dark++;
        }
      }
    }
    assertThat(colours.size()).as(name + ": distinct colours").isGreaterThan(50);
    assertThat(dark).as(name + ": dark (text) pixels").isGreaterThan(500);
  }
}
