package dev.windowpane.transforms.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds hashtags in a text: a {@code #} followed by one or more ASCII letters, digits or
 * underscores ({@code [A-Za-z0-9_]+}), reported lower-cased and without the {@code #}, in order of
 * appearance, once per occurrence. Cost: one regex scan of the text.
 *
 * <ul>
 *   <li>A tag ends at the first other character: {@code "#beam!"} gives {@code beam}, {@code
 *       "#café"} gives {@code caf} (letters outside ASCII are not part of a tag), a lone {@code #}
 *       gives nothing.
 *   <li>Every {@code #} starts a tag, whatever stands before it, exactly as the data contract
 *       (DESIGN.md) defines it: {@code "a#b"} gives {@code b}, {@code "##beam"} gives {@code beam}.
 * </ul>
 */
public final class Hashtags {
  private static final Pattern HASHTAG = Pattern.compile("#([A-Za-z0-9_]+)");

  private Hashtags() {}

  /** The hashtags of {@code text}, lower-cased, without {@code #}, in order, repeats included. */
  public static List<String> extract(String text) {
    Matcher tag = HASHTAG.matcher(text);
    if (!tag.find()) {
      return Collections.emptyList();
    }
    List<String> tags = new ArrayList<>(4);
    do {
      tags.add(tag.group(1).toLowerCase(Locale.ROOT));
    } while (tag.find());
    return Collections.unmodifiableList(tags);
  }
}
