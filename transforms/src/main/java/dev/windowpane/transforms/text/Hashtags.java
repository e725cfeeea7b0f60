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
 *   <li>A {@code #} right after a letter, digit or underscore is inside a word, not the start of a
 *       tag: {@code "a#b"}, {@code "C#"}, {@code "issue#12"} and {@code "page#top"} give nothing,
 *       as on Twitter. After any other character it starts one: {@code "(#beam)"}, {@code "##beam"}
 *       and {@code "x,#beam"} give {@code beam}.
 * </ul>
 */
public final class Hashtags {
  private static final Pattern HASHTAG = Pattern.compile("(?<![A-Za-z0-9_])#([A-Za-z0-9_]+)");

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
