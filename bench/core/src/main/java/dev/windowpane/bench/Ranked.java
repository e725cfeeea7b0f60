package dev.windowpane.bench;

/** One line of a window's ranking: a key and its total in that window. */
public record Ranked(String key, long total) {}
