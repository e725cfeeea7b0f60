package dev.windowpane.pipelines.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.Set;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/** What the pipelines set on the FlinkRunner about copies: object reuse always, fasterCopy only without checkpoints. */
class FlinkSettingsTest {

  private static FlinkPipelineOptions settled(Set<String> given, String... args) {
    FlinkPipelineOptions options = PipelineOptionsFactory.fromArgs(args).as(FlinkPipelineOptions.class);
    FlinkSettings.copyElementsOnlyWhereNeeded(options, given);
    return options;
  }

  @Test
  void withoutCheckpointsNothingIsCopied() {
    FlinkPipelineOptions options = settled(Set.of());
    assertThat(options.getObjectReuse(), is(true));
    assertThat(options.getFasterCopy(), is(true));
  }

  @Test
  void withCheckpointsStateValuesAreStillCopiedDuringSnapshots() {
    FlinkPipelineOptions byDirectory = PipelineOptionsFactory.create().as(FlinkPipelineOptions.class);
    byDirectory.as(CheckpointOptions.class).setCheckpointDirectory("/tmp/unused");
    FlinkSettings.copyElementsOnlyWhereNeeded(byDirectory, Set.of("checkpointDir"));
    assertThat(byDirectory.getObjectReuse(), is(true));
    assertThat(byDirectory.getFasterCopy(), is(false));
    FlinkPipelineOptions byInterval = settled(Set.of("checkpointingInterval"), "--checkpointingInterval=10000");
    assertThat(byInterval.getObjectReuse(), is(true));
    assertThat(byInterval.getFasterCopy(), is(false));
  }

  @Test
  void flagsGivenOnTheCommandLineWin() {
    FlinkPipelineOptions options =
        settled(Set.of("objectReuse", "fasterCopy"), "--objectReuse=false", "--fasterCopy=true", "--checkpointingInterval=10000");
    assertThat(options.getObjectReuse(), is(false));
    assertThat(options.getFasterCopy(), is(true));
  }
}
