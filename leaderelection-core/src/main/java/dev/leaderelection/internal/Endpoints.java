package dev.leaderelection.internal;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Endpoints as messages may show them: never with a user or password written into them. */
public final class Endpoints {

  private Endpoints() {
  }

  /**
   * {@code endpoints} (one, or several separated by commas) with whatever stands between each
   * one's scheme and its last {@code @} shown as {@code ******}.
   */
  public static String withoutUserInfo(String endpoints) {
    return Arrays.stream(endpoints.split(",", -1)).map(endpoint -> {
      int at = endpoint.lastIndexOf('@');
      if (at < 0) {
        return endpoint;
      }
      int scheme = endpoint.indexOf("://");
      int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
      return endpoint.substring(0, start) + "******" + endpoint.substring(at);
    }).collect(Collectors.joining(","));
  }
}
