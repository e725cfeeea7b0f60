package dev.windowpane.pipelines.dashboard;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --ui} on embedded Flink: the rankings reach the page from Flink's task threads in this JVM.
 * (Here the generator's late-event source lets Flink fire its windows only once the input is read,
 * so this checks that the rankings arrive, not how soon.)
 */
class DashboardOnFlinkTest {
  @TempDir Path dir;

  @Test
  void aPipelineOnEmbeddedFlinkFeedsItsDashboard() throws Exception {
    try (RunningCommand run =
        RunningCommand.start(
            "top-sellers", "--runner=FlinkRunner", "--ui=0", "--eventsPerSecond=200", "--maxEvents=2000",
            "--latePercent=5", "--lateBy=20s", "--window=1m", "--slide=10s", "--top=3",
            "--output=" + dir.resolve("out"))) {
      URI url = run.dashboardUrl(60);
      JsonNode live = DashboardCommandTest.awaitSnapshot(url, 90, s -> s.get("rankings").size() == 1);
      assertThat(live.get("rankings").get(0).get("rows").size(), is(3));
      assertThat(run.err(), run.awaitExit(180), is(0));
    }
  }
}
