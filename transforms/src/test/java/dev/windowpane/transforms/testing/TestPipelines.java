package dev.windowpane.transforms.testing;

import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.direct.DirectRunner;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Pipelines for JUnit 5 tests (Beam 2.62 has no JUnit 5 TestPipeline): a DirectRunner pipeline
 * that checks coders and immutability, and a run that waits and rethrows PAssert failures.
 */
public final class TestPipelines {
  private TestPipelines() {}

  public static Pipeline create() {
    DirectOptions options = PipelineOptionsFactory.as(DirectOptions.class);
    options.setRunner(DirectRunner.class);
    options.setBlockOnRun(true);
    options.setEnforceImmutability(true);
    options.setEnforceEncodability(true);
    options.setTargetParallelism(2);
    return Pipeline.create(options);
  }

  /** Runs {@code pipeline} to the end; a failed PAssert surfaces as an {@link AssertionError}. */
  public static PipelineResult run(Pipeline pipeline) {
    try {
      PipelineResult result = pipeline.run();
      result.waitUntilFinish();
      return result;
    } catch (Pipeline.PipelineExecutionException e) {
      if (e.getCause() instanceof AssertionError) {
        throw (AssertionError) e.getCause();
      }
      throw e;
    }
  }
}
