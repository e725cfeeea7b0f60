package dev.windowpane.pipelines.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SourceOptionsTest {
  @Test
  void aRelativeLocalPathIsMadeAbsoluteForTheWorkersOfACluster() {
    String cwd = Path.of("").toAbsolutePath().toString();

    assertThat(SourceOptions.absolute("data/orders-*.jsonl"), equalTo(cwd + "/data/orders-*.jsonl"));
    assertThat(SourceOptions.absolute("./out/../out"), equalTo(cwd + "/out"));
    assertThat(SourceOptions.absolute("/data/orders.jsonl"), equalTo("/data/orders.jsonl"));
    assertThat(SourceOptions.absolute("gs://bucket/orders.jsonl"), equalTo("gs://bucket/orders.jsonl"));
    assertThat(SourceOptions.absolute("file:///data/x"), equalTo("file:///data/x"));
    assertThat(SourceOptions.absolute(null), nullValue());
  }
}
