package dev.windowpane.pipelines.io;

import java.io.Serializable;

/**
 * How one pipeline names its rankings: the table title and the JSON field names of the ranked name
 * and its total ({@code item}/{@code quantity}, {@code hashtag}/{@code count}).
 */
public final class RankingFormat implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String title;
  private final String nameField;
  private final String totalField;

  private RankingFormat(String title, String nameField, String totalField) {
    this.title = title;
    this.nameField = nameField;
    this.totalField = totalField;
  }

  public static RankingFormat of(String title, String nameField, String totalField) {
    return new RankingFormat(title, nameField, totalField);
  }

  public String title() {
    return title;
  }

  public String nameField() {
    return nameField;
  }

  public String totalField() {
    return totalField;
  }
}
