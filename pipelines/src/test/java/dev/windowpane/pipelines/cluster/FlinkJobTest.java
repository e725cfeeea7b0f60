package dev.windowpane.pipelines.cluster;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The cluster entry class: its added options, and a refused command line as an exception, not an exit. */
class FlinkJobTest {
  @Test
  void addsTheClusterOptionsUnlessGiven() {
    assertThat(
        List.of(FlinkJob.withClusterDefaults(new String[] {"top-sellers", "--top=3"})),
        equalTo(List.of("top-sellers", "--top=3", "--runner=FlinkRunner", "--attachedMode=false")));
    assertThat(
        List.of(FlinkJob.withClusterDefaults(
            new String[] {"top-sellers", "--runner=DirectRunner", "--attachedMode"})),
        equalTo(List.of("top-sellers", "--runner=DirectRunner", "--attachedMode")));
  }

  @Test
  void aRefusedCommandLineIsAnExceptionWithItsSentence() {
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> FlinkJob.main(new String[] {"top-seller"}));
    assertThat(e.getMessage(), containsString("exit code 2: Unknown pipeline 'top-seller'"));
  }
}
