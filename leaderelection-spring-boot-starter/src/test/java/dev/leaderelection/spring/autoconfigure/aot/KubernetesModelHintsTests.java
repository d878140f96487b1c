package dev.leaderelection.spring.autoconfigure.aot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1APIResource;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Lease;
import io.kubernetes.client.openapi.models.V1LeaseSpec;
import io.kubernetes.client.openapi.models.V1ManagedFieldsEntry;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import io.kubernetes.client.openapi.models.V1ResourceAttributes;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.openapi.models.V1StatusCause;
import io.kubernetes.client.openapi.models.V1beta1LeaseCandidateSpec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

/** The hints a native image needs for the Kubernetes client's Gson to read and write models. */
class KubernetesModelHintsTests {

  private final RuntimeHints hints = new RuntimeHints();

  @Test
  void everyModelTheLocksExchangeShouldBeReflectivelyReadableAndWritable() {
    new KubernetesModelHints().registerHints(hints, getClass().getClassLoader());

    for (Class<?> model : List.of(V1Lease.class, V1LeaseSpec.class, V1ObjectMeta.class,
        V1ManagedFieldsEntry.class, V1OwnerReference.class, V1ConfigMap.class, V1Status.class,
        V1StatusCause.class, V1ResourceAttributes.class, V1beta1LeaseCandidateSpec.class,
        V1APIResource.class)) {
      assertThat(RuntimeHintsPredicates.reflection().onType(model)
          .withMemberCategories(MemberCategory.ACCESS_DECLARED_FIELDS,
              MemberCategory.INVOKE_DECLARED_CONSTRUCTORS))
          .as(model.getSimpleName()).accepts(hints);
    }
    assertThat(RuntimeHintsPredicates.reflection().onType(String.class)).rejects(hints);
  }

  @Test
  void registrarShouldBeListedForSpringAot() {
    assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
        .load(RuntimeHintsRegistrar.class))
        .anySatisfy(registrar -> assertThat(registrar).isInstanceOf(KubernetesModelHints.class));
  }
}
