package io.keycloakgitops.realmsync.cli;

import java.time.Duration;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Durations as people write them: 500ms, 60s, 5m, 1h (a bare number is seconds). */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h)?");

  @Override
  public Duration convert(String value) {
    var matcher = FORMAT.matcher(value.trim());
    if (!matcher.matches()) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 500ms, 60s, 5m or 1h");
    }
    long amount = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "s" : matcher.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofSeconds(amount);
    };
  }
}
