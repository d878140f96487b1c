package dev.leaderelection.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Endpoints;
import io.kubernetes.client.openapi.models.V1Lease;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The locks' copies keep every field of the client's models: each test fills every field of an
 * object, nested models included, with a value of its own, and expects the copy to equal it. A
 * new version of the client that adds a field the copy misses fails here, not in a cluster where
 * the field would be erased.
 */
class ObjectCopiesTest {

  @Test
  void leaseCopyShouldKeepEveryFieldAndOwnItsMetadataAndSpec() throws Exception {
    V1Lease lease = filled(V1Lease.class);

    V1Lease copy = ObjectCopies.lease(lease);

    assertThat(copy).isEqualTo(lease);
    assertThat(copy.getMetadata()).isNotSameAs(lease.getMetadata());
    assertThat(copy.getSpec()).isNotSameAs(lease.getSpec());
  }

  @Test
  void configMapCopyShouldKeepEveryFieldAndOwnItsMetadata() throws Exception {
    V1ConfigMap configMap = filled(V1ConfigMap.class);

    V1ConfigMap copy = ObjectCopies.configMap(configMap);

    assertThat(copy).isEqualTo(configMap);
    assertThat(copy.getMetadata()).isNotSameAs(configMap.getMetadata());
  }

  @Test
  void endpointsCopyShouldKeepEveryFieldAndOwnItsMetadata() throws Exception {
    V1Endpoints endpoints = filled(V1Endpoints.class);

    V1Endpoints copy = ObjectCopies.endpoints(endpoints);

    assertThat(copy).isEqualTo(endpoints);
    assertThat(copy.getMetadata()).isNotSameAs(endpoints.getMetadata());
  }

  @Test
  void changingTheCopyShouldLeaveTheObjectReadAsItWas() throws Exception {
    V1Lease lease = filled(V1Lease.class);
    V1Lease unchanged = filled(V1Lease.class);

    V1Lease copy = ObjectCopies.lease(lease);
    copy.getMetadata().setResourceVersion("42");
    copy.getMetadata().setAnnotations(Map.of("changed", "yes"));
    copy.getSpec().holderIdentity("someone-else").leaseTransitions(9);

    assertThat(lease).isEqualTo(unchanged);
  }

  /** An instance of a client model with every field set, nested models filled in turn. */
  private static <T> T filled(Class<T> type) throws Exception {
    T instance = type.getDeclaredConstructor().newInstance();
    for (Field field : type.getDeclaredFields()) {
      if (Modifier.isStatic(field.getModifiers())) {
        continue;
      }
      field.setAccessible(true);
      field.set(instance, sample(field.getName(), field.getGenericType()));
    }
    return instance;
  }

  private static Object sample(String name, Type type) throws Exception {
    Class<?> raw = type instanceof ParameterizedType parameterized
        ? (Class<?>) parameterized.getRawType() : (Class<?>) type;
    if (raw == String.class || raw == Object.class) {
      return "sample-" + name;
    } else if (raw == Integer.class) {
      return 7;
    } else if (raw == Long.class) {
      return 11L;
    } else if (raw == Boolean.class) {
      return Boolean.TRUE;
    } else if (raw == OffsetDateTime.class) {
      return OffsetDateTime.of(2030, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
    } else if (raw == Map.class) {
      Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
      return Map.of("key-" + name, value == byte[].class ? new byte[] {1} : "value-" + name);
    } else if (raw == List.class) {
      Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
      List<Object> list = new ArrayList<>();
      list.add(sample(name, element));
      return list;
    } else if (raw.getPackageName().equals(V1Lease.class.getPackageName())) {
      return filled(raw);
    }
    throw new AssertionError("no sample for field " + name + " of type " + type
        + ": teach this test (and check ObjectCopies) the new kind of field");
  }
}
