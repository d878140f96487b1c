package dev.leaderelection.spring.autoconfigure.sanitizing;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the credentials the starter binds wherever Actuator shows them
 * ({@code /actuator/configprops}, {@code /actuator/env}), also with {@code show-values=always}:
 * every {@code leader-election} key ending in {@code password} (the etcd password, and the same
 * key under {@code leader-election.elections.<name>}), and the user info of etcd endpoints
 * ({@code https://user:password@host:port} shows as {@code https://******@host:port}). Keys are
 * matched in every form Spring Boot binds: {@code leader-election.etcd.password},
 * {@code leaderElection.etcd.password}, {@code LEADER_ELECTION_ETCD_PASSWORD}, with or without a
 * list index.
 */
final class LeaderElectionSanitizingFunction implements SanitizingFunction {

  /** The user info of each URL in a value: between {@code ://} and {@code @}. */
  private static final Pattern USER_INFO = Pattern.compile("(://)[^/\\s,]*@");

  private static final Pattern SEPARATORS_AND_INDEXES = Pattern.compile("[-_.]|\\[[^]]*]");

  @Override
  public SanitizableData apply(SanitizableData data) {
    String key = uniform(data.getKey());
    if (!key.startsWith("leaderelection") || data.getValue() == null) {
      return data;
    }
    if (key.endsWith("password")) {
      return data.withSanitizedValue();
    }
    if (key.replaceAll("\\d+$", "").endsWith("endpoints")) {
      Object value = data.getValue();
      if (value instanceof CharSequence text) {
        return data.withValue(withoutUserInfo(text.toString()));
      }
      if (value instanceof List<?> list) {
        return data.withValue(list.stream().map(each -> each instanceof CharSequence text
            ? withoutUserInfo(text.toString()) : each).toList());
      }
    }
    return data;
  }

  private static String withoutUserInfo(String endpoints) {
    return USER_INFO.matcher(endpoints).replaceAll("$1" + SanitizableData.SANITIZED_VALUE + "@");
  }

  /** The key lower case, without separators or indexes: one form for every way to write it. */
  private static String uniform(String key) {
    return SEPARATORS_AND_INDEXES.matcher(key.toLowerCase(Locale.ROOT)).replaceAll("");
  }
}
