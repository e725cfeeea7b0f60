package dev.windowpane.pipelines;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.runners.TransformHierarchy;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Step names are stable UpperCamel words with no parameter in them, because Flink matches restored
 * state to operators by name: every step our code names (a top-level step, or a direct child of
 * one of windowpane's transforms) is {@code [A-Z][A-Za-z0-9]*}, and the full names of all steps,
 * Beam's nested ones included, do not change with the options' values.
 */
class StepNamesTest {
  private static final Pattern STEP_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");

  /** Two sets of values for every option that may change between a run and its restored run. */
  private static final String[] VALUES_A = {
    "--top=10", "--window=1h", "--slide=1m", "--allowedLateness=0s", "--gap=30m"
  };

  private static final String[] VALUES_B = {
    "--top=20", "--window=2h", "--slide=5m", "--allowedLateness=10m", "--gap=10m"
  };

  @TempDir Path dir;

  static Stream<Arguments> pipelines() {
    return Stream.of(
        Arguments.of(TopSellers.NAME, "generator", new String[0]),
        Arguments.of(TopSellers.NAME, "generator with late events", new String[] {"--latePercent=5"}),
        Arguments.of(TopSellers.NAME, "files", new String[0]),
        Arguments.of(TrendingHashtags.NAME, "generator", new String[0]),
        Arguments.of(TrendingHashtags.NAME, "files", new String[0]),
        Arguments.of(SessionStatsPipeline.NAME, "generator", new String[] {"--emit=updates"}),
        Arguments.of(SessionStatsPipeline.NAME, "files", new String[] {"--emit=updates"}));
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("pipelines")
  void everyStepNameOurCodeGivesIsUpperCamel(String name, String source, String[] extra) {
    List<String> wrong = new ArrayList<>();
    traverse(
        build(name, source, extra, VALUES_A),
        (node, ownName) -> {
          if (namedByUs(node) && !STEP_NAME.matcher(ownName).matches()) {
            wrong.add(node.getFullName());
          }
        });

    assertThat("step names that are not UpperCamel words", wrong, empty());
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("pipelines")
  void noStepNameChangesWithTheOptionsValues(String name, String source, String[] extra) {
    Set<String> a = fullNames(build(name, source, extra, VALUES_A));
    Set<String> b = fullNames(build(name, source, extra, VALUES_B));

    Set<String> onlyInA = new TreeSet<>(a);
    onlyInA.removeAll(b);
    Set<String> onlyInB = new TreeSet<>(b);
    onlyInB.removeAll(a);
    assertThat("steps only with " + String.join(" ", VALUES_A), onlyInA, empty());
    assertThat("steps only with " + String.join(" ", VALUES_B), onlyInB, empty());
    // The traversal did see the pipeline's own steps.
    assertThat(a, hasItem(startsWithSegment(a)));
  }

  /** A top-level step, or a direct child of one of windowpane's own transforms. */
  private static boolean namedByUs(TransformHierarchy.Node node) {
    TransformHierarchy.Node parent = node.getEnclosingNode();
    return parent.isRootNode()
        || parent.getTransform().getClass().getName().startsWith("dev.windowpane.");
  }

  private Pipeline build(String name, String source, String[] extra, String[] values) {
    List<String> args = new ArrayList<>(List.of(values));
    args.addAll(List.of(extra));
    if (source.equals("files")) {
      Path input = dir.resolve(name + ".jsonl");
      Cli.write(input, "{}");
      args.add("--input=" + input);
      args.add("--output=" + dir.resolve("out"));
      args.add("--deadLetters=" + dir.resolve("dead-letters"));
    } else {
      args.add("--output=" + dir.resolve("out"));
    }
    String[] argv = args.toArray(new String[0]);
    Pipeline pipeline;
    switch (name) {
      case TopSellers.NAME:
        {
          TopSellers.Options options = options(argv, TopSellers.Options.class);
          pipeline = Pipeline.create(options);
          TopSellers.buildPipeline(pipeline, options);
          break;
        }
      case TrendingHashtags.NAME:
        {
          TrendingHashtags.Options options = options(argv, TrendingHashtags.Options.class);
          pipeline = Pipeline.create(options);
          TrendingHashtags.buildPipeline(pipeline, options);
          break;
        }
      case SessionStatsPipeline.NAME:
        {
          SessionStatsPipeline.Options options = options(argv, SessionStatsPipeline.Options.class);
          pipeline = Pipeline.create(options);
          SessionStatsPipeline.buildPipeline(pipeline, options);
          break;
        }
      default:
        throw new IllegalArgumentException(name);
    }
    return pipeline;
  }

  /** Options of one pipeline; an option it does not have (--gap, --top) is left out. */
  private static <T extends PipelineOptions> T options(String[] args, Class<T> type) {
    List<String> known = new ArrayList<>();
    for (String arg : args) {
      String property = arg.substring(2, arg.indexOf('='));
      if (hasProperty(type, property)) {
        known.add(arg);
      }
    }
    return PipelineOptionsFactory.fromArgs(known.toArray(new String[0])).as(type);
  }

  private static boolean hasProperty(Class<?> type, String property) {
    String getter = "get" + Character.toUpperCase(property.charAt(0)) + property.substring(1);
    return Stream.of(type.getMethods()).anyMatch(m -> m.getName().equals(getter));
  }

  private static Set<String> fullNames(Pipeline pipeline) {
    Set<String> names = new TreeSet<>();
    traverse(pipeline, (node, ownName) -> names.add(node.getFullName()));
    return names;
  }

  /** Calls {@code visit} with every composite and primitive step and its own name segment. */
  private static void traverse(
      Pipeline pipeline, BiConsumer<TransformHierarchy.Node, String> visit) {
    pipeline.traverseTopologically(
        new Pipeline.PipelineVisitor.Defaults() {
          @Override
          public CompositeBehavior enterCompositeTransform(TransformHierarchy.Node node) {
            if (!node.isRootNode()) {
              visit.accept(node, ownName(node));
            }
            return CompositeBehavior.ENTER_TRANSFORM;
          }

          @Override
          public void visitPrimitiveTransform(TransformHierarchy.Node node) {
            visit.accept(node, ownName(node));
          }
        });
  }

  private static String ownName(TransformHierarchy.Node node) {
    String fullName = node.getFullName();
    return fullName.substring(fullName.lastIndexOf('/') + 1);
  }

  private static String startsWithSegment(Set<String> names) {
    return names.iterator().next();
  }
}
