package dev.windowpane.pipelines.dashboard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.windowpane.pipelines.Main;
import dev.windowpane.transforms.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven through its chromedriver
 * (never a downloaded one). A pipeline serves its dashboard while it runs on generated events; the
 * page's ranks, names and totals are those of the pipeline's output files for the same windows, a
 * new window appears without a reload, and names that look like markup are shown as text. Saves
 * screenshots under {@code target/}.
 *
 * <p>Without {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} it is skipped, saying so;
 * with {@code WINDOWPANE_REQUIRE_BROWSER=true} (set by {@code .ci/run}) it fails instead.
 */
class DashboardBrowserTest {
  private static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Paths.get("/usr/bin/chromedriver");
  static final String REQUIRE_BROWSER = "WINDOWPANE_REQUIRE_BROWSER";
  private static final Path SCREENSHOTS = Paths.get("target");

  private static ChromeDriverService service;
  private static WebDriver browser;

  @TempDir Path dir;

  @BeforeAll
  static void startBrowser(@TempDir Path profile) {
    boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String missing =
        "the dashboard's browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
            + " (as root: apt-get install -y chromium chromium-driver; .ci/run installs them)";
    if (!installed && "true".equals(System.getenv(REQUIRE_BROWSER))) {
      fail(REQUIRE_BROWSER + " is set and " + missing + ".");
    }
    if (!installed) {
      // Said on the build's console too, where a skipped test is otherwise only a count.
      System.err.println("DashboardBrowserTest skipped: " + missing + ".");
    }
    assumeTrue(installed, "Skipped: " + missing + ".");
    service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toString());
    options.addArguments(
        "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,1500", "--user-data-dir=" + profile);
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stopBrowser() {
    if (browser != null) {
      browser.quit();
    }
    if (service != null) {
      service.stop();
    }
  }

  /** What the page shows of one ranking: its window and its rows as "rank name total". */
  private static final class ShownRanking {
    final String windowStart;
    final String windowEnd;
    final List<String> rows;

    ShownRanking(String windowStart, String windowEnd, List<String> rows) {
      this.windowStart = windowStart;
      this.windowEnd = windowEnd;
      this.rows = rows;
    }
  }

  private static WebElement ranking(String pipeline) {
    return browser.findElement(By.cssSelector("article.ranking[data-pipeline='" + pipeline + "']"));
  }

  /** Waits for the page to show a ranking of {@code pipeline} whose window is not {@code after}'s. */
  private static void awaitWindow(String pipeline, ShownRanking after, long seconds) {
    new WebDriverWait(browser, Duration.ofSeconds(seconds))
        .ignoring(org.openqa.selenium.NoSuchElementException.class)
        .ignoring(StaleElementReferenceException.class)
        .until(
            page -> {
              String end = ranking(pipeline).getDomAttribute("data-window-end");
              return after == null || !end.equals(after.windowEnd);
            });
  }

  /** Reads the ranking the page shows, with its updates paused (by keyboard) meanwhile. */
  private static ShownRanking read(String pipeline) {
    WebElement pause = browser.findElement(By.id("pause"));
    pause.sendKeys(Keys.ENTER);
    assertThat(pause.getDomAttribute("aria-pressed"), is("true"));
    WebElement article = ranking(pipeline);
    List<String> rows = new ArrayList<>();
    for (WebElement row : article.findElements(By.cssSelector("tbody tr"))) {
      rows.add(
          text(row.findElement(By.cssSelector("td.rank"))) + " " + text(row.findElement(By.cssSelector("td.name")))
              + " " + text(row.findElement(By.cssSelector("td.total"))));
    }
    ShownRanking shown =
        new ShownRanking(article.getDomAttribute("data-window-start"), article.getDomAttribute("data-window-end"), rows);
    pause.sendKeys(Keys.ENTER);
    assertThat(pause.getDomAttribute("aria-pressed"), is("false"));
    return shown;
  }

  private static String text(WebElement cell) {
    return cell.getDomProperty("textContent");
  }

  /** The latest ranking of each window in the output files under {@code out}, as "rank name total" rows. */
  private static Map<String, List<String>> rankingsInFiles(Path out, String nameField, String totalField) {
    Map<String, Long> panes = new TreeMap<>();
    Map<String, Map<Long, String>> rows = new TreeMap<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).collect(Collectors.toList())) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          JsonNode json = Json.mapper().readTree(line);
          String window = json.get("windowStart").asText() + "/" + json.get("windowEnd").asText();
          long pane = json.path("pane").asLong(0);
          long before = panes.getOrDefault(window, -1L);
          if (pane < before) {
            continue;
          }
          if (pane > before) {
            panes.put(window, pane);
            rows.put(window, new TreeMap<>());
          }
          rows.get(window).put(json.get("rank").asLong(),
              json.get("rank").asLong() + " " + json.get(nameField).asText() + " " + json.get(totalField).asLong());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, List<String>> latest = new TreeMap<>();
    rows.forEach((window, ranks) -> latest.put(window, new ArrayList<>(ranks.values())));
    return latest;
  }

  private static void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void aRunningPipelinesPageShowsItsWindowsAsTheyFireWithTheRanksOfItsOutputFiles() throws Exception {
    Path out = dir.resolve("out");
    try (RunningCommand run =
        RunningCommand.start(
            "top-sellers", "--ui=0", "--eventsPerSecond=25", "--maxEvents=400", "--latePercent=5", "--lateBy=20s",
            "--window=1m", "--slide=10s", "--top=5", "--output=" + out)) {
      URI url = run.dashboardUrl(60);
      browser.get(url.toString());
      WebElement page = browser.findElement(By.id("dashboard"));

      awaitWindow("top-sellers", null, 60);
      ShownRanking first = read("top-sellers");
      awaitWindow("top-sellers", first, 60);
      ShownRanking second = read("top-sellers");
      // The element found before is still the page's: the new window came without a reload.
      assertThat(page.isDisplayed(), is(true));
      assertThat(browser.findElement(By.id("status")).getDomProperty("textContent"), is("live"));
      assertThat(browser.findElement(By.id("health-figures")).getDomProperty("textContent"), org.hamcrest.Matchers.containsString("events read"));
      screenshot("dashboard-top-sellers.png");

      assertThat(run.err(), run.awaitExit(120), is(0));
      Map<String, List<String>> files = rankingsInFiles(out, "item", "quantity");
      for (ShownRanking shown : List.of(first, second)) {
        assertThat(shown.rows, not(empty()));
        assertThat(
            "window " + shown.windowStart + " .. " + shown.windowEnd,
            shown.rows,
            equalTo(files.get(shown.windowStart + "/" + shown.windowEnd)));
      }
    }
  }

  @Test
  void namesThatLookLikeMarkupAreShownAsTextFromAFinishedRunsDirectory() throws Exception {
    Path input = dir.resolve("orders.jsonl");
    Files.write(
        input,
        List.of(
            "{\"timestamp\":\"2025-11-25T10:01:00Z\",\"item\":\"<img src=x onerror=alert(1)>\",\"quantity\":5}",
            "{\"timestamp\":\"2025-11-25T10:02:00Z\",\"item\":\"\\\"</script>\",\"quantity\":3}",
            "{\"timestamp\":\"2025-11-25T10:03:00Z\",\"item\":\"sku-a\",\"quantity\":1}"),
        StandardCharsets.UTF_8);
    Path out = dir.resolve("out");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Main.run(
            new String[] {"top-sellers", "--input=" + input, "--output=" + out, "--window=10m", "--slide=5m", "--top=3"},
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(err.toString(StandardCharsets.UTF_8), exit, is(0));

    try (RunningCommand dashboard = RunningCommand.start("dashboard", "--from=" + out, "--ui=0")) {
      browser.get(dashboard.dashboardUrl(30).toString());
      awaitWindow("top-sellers", null, 30);
      new WebDriverWait(browser, Duration.ofSeconds(30))
          .until(page -> page.findElement(By.id("health-note")).getDomProperty("textContent").contains("Finished"));
      ShownRanking shown = read("top-sellers");

      assertThat(shown.windowStart, is("2025-11-25T10:00:00Z"));
      assertThat(shown.windowEnd, is("2025-11-25T10:10:00Z"));
      assertThat(shown.rows, equalTo(List.of("1 <img src=x onerror=alert(1)> 5", "2 \"</script> 3", "3 sku-a 1")));
      assertThat(shown.rows, equalTo(rankingsInFiles(out, "item", "quantity").get("2025-11-25T10:00:00Z/2025-11-25T10:10:00Z")));
      assertThat(browser.findElements(By.cssSelector("#dashboard img")), empty());
      assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
      screenshot("dashboard-markup-names.png");
      assertThat(dashboard.stop(30), is(0));
    }
  }
}
