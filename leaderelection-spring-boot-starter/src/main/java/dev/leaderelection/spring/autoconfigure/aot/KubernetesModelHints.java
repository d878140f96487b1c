package dev.leaderelection.spring.autoconfigure.aot;

import io.kubernetes.client.openapi.models.EventsV1Event;
import io.kubernetes.client.openapi.models.V1APIResourceList;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ConfigMapList;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseList;
import io.kubernetes.client.openapi.models.V1SelfSubjectAccessReview;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1beta1LeaseCandidate;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * The Kubernetes client reads and writes its models with Gson, by reflection on their fields:
 * every model the locks exchange with the API server (Lease, ConfigMap, their lists, Status, the
 * access review that explains a 403, the Events recorded at transitions, the LeaseCandidates of
 * coordinated elections and the discovery of their version) and every model reachable from
 * their fields gets its declared fields and constructors registered for a native image.
 */
final class KubernetesModelHints implements RuntimeHintsRegistrar {

  /** The models the Kubernetes locks send and receive. */
  static List<Class<?>> roots() {
    return List.of(V1Lease.class, V1LeaseList.class, V1ConfigMap.class, V1ConfigMapList.class,
        V1Status.class, V1SelfSubjectAccessReview.class, EventsV1Event.class,
        V1beta1LeaseCandidate.class, V1APIResourceList.class);
  }

  private static final String MODELS = V1Lease.class.getPackageName();

  @Override
  public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
    for (Class<?> model : models()) {
      hints.reflection().registerType(model, MemberCategory.ACCESS_DECLARED_FIELDS,
          MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.INVOKE_PUBLIC_METHODS);
    }
  }

  /** The roots and every model their fields reach, element types of lists and maps included. */
  static Set<Class<?>> models() {
    Set<Class<?>> found = new LinkedHashSet<>();
    Deque<Class<?>> next = new ArrayDeque<>(roots());
    while (!next.isEmpty()) {
      Class<?> model = next.pop();
      if (!found.add(model)) {
        continue;
      }
      for (Field field : model.getDeclaredFields()) {
        if (!Modifier.isStatic(field.getModifiers())) {
          modelsIn(field.getGenericType(), next);
        }
      }
    }
    return found;
  }

  private static void modelsIn(Type type, Deque<Class<?>> next) {
    if (type instanceof Class<?> plain && plain.getPackageName().equals(MODELS)) {
      next.push(plain);
    } else if (type instanceof ParameterizedType parameterized) {
      for (Type argument : parameterized.getActualTypeArguments()) {
        modelsIn(argument, next);
      }
    }
  }
}
