package dev.leaderelection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.leaderelection.spi.LeaderRecord.PreferredHolder;
import dev.leaderelection.spi.LeaderRecord;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LeaderRecordTest {

  private static final Instant ACQUIRED = Instant.parse("2026-12-04T12:00:00Z");
  private static final Instant RENEWED = Instant.parse("2026-12-04T12:00:05.123456Z");

  private final LeaderRecord record = LeaderRecord.builder()
      .holderIdentity("a")
      .leaseDuration(Duration.ofSeconds(15))
      .acquireTime(ACQUIRED)
      .renewTime(RENEWED)
      .leaseTransitions(3)
      .holderPriority(2)
      .preferredHolder(new PreferredHolder("b", 5))
      .version("7")
      .build();

  @Test
  void builderShouldSetEveryField() {
    assertThat(record.holderIdentity()).isEqualTo("a");
    assertThat(record.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(record.acquireTime()).isEqualTo(ACQUIRED);
    assertThat(record.renewTime()).isEqualTo(RENEWED);
    assertThat(record.leaseTransitions()).isEqualTo(3);
    assertThat(record.holderPriority()).isEqualTo(2);
    assertThat(record.preferredHolder()).isEqualTo(new PreferredHolder("b", 5));
    assertThat(record.version()).isEqualTo("7");
    assertThat(record.isHeld()).isTrue();
  }

  @Test
  void emptyBuilderShouldBuildAReleasedRecordWithNothingSet() {
    LeaderRecord released = LeaderRecord.builder().build();

    assertThat(released.holderIdentity()).isEmpty();
    assertThat(released.isHeld()).isFalse();
    assertThat(released.leaseDuration()).isEqualTo(Duration.ZERO);
    assertThat(released.acquireTime()).isNull();
    assertThat(released.renewTime()).isNull();
    assertThat(released.leaseTransitions()).isZero();
    assertThat(released.holderPriority()).isZero();
    assertThat(released.preferredHolder()).isNull();
    assertThat(released.version()).isNull();
  }

  @Test
  void toBuilderThenBuildShouldGiveAnEqualRecord() {
    LeaderRecord copy = record.toBuilder().build();

    assertThat(copy).isEqualTo(record).isNotSameAs(record);
    assertThat(copy.hashCode()).isEqualTo(record.hashCode());
    assertThat(copy.toString()).isEqualTo(record.toString());
  }

  @Test
  void toBuilderShouldChangeOnlyWhatIsSet() {
    LeaderRecord renewed = record.toBuilder().renewTime(RENEWED.plusSeconds(2)).build();

    assertThat(renewed.renewTime()).isEqualTo(RENEWED.plusSeconds(2));
    assertThat(renewed.toBuilder().renewTime(RENEWED).build()).isEqualTo(record);
    assertThat(record.renewTime()).as("the original, unchanged").isEqualTo(RENEWED);
  }

  @Test
  void recordsDifferingInAnyFieldShouldNotBeEqual() {
    assertThat(record)
        .isNotEqualTo(record.toBuilder().holderIdentity("c").build())
        .isNotEqualTo(record.toBuilder().leaseDuration(Duration.ofSeconds(16)).build())
        .isNotEqualTo(record.toBuilder().acquireTime(null).build())
        .isNotEqualTo(record.toBuilder().renewTime(ACQUIRED).build())
        .isNotEqualTo(record.toBuilder().leaseTransitions(4).build())
        .isNotEqualTo(record.toBuilder().holderPriority(0).build())
        .isNotEqualTo(record.toBuilder().preferredHolder(null).build())
        .isNotEqualTo(record.toBuilder().version("8").build())
        .isNotEqualTo(null)
        .isNotEqualTo("a");
  }

  @Test
  void toStringShouldShowEveryFieldAsTheRecordDid() {
    assertThat(record).hasToString("LeaderRecord[holderIdentity=a, leaseDuration=PT15S, "
        + "acquireTime=2026-12-04T12:00:00Z, renewTime=2026-12-04T12:00:05.123456Z, "
        + "leaseTransitions=3, holderPriority=2, "
        + "preferredHolder=PreferredHolder[identity=b, priority=5], version=7]");
  }

  @Test
  void withVersionShouldChangeOnlyTheVersion() {
    LeaderRecord stored = record.withVersion("8");

    assertThat(stored.version()).isEqualTo("8");
    assertThat(stored).isEqualTo(record.toBuilder().version("8").build());
    assertThat(record.withVersion(null).version()).isNull();
    assertThat(stored.withVersion("7")).isEqualTo(record);
  }

  @Test
  void missingIdentityShouldBeRejectedByBuild() {
    LeaderRecord.Builder builder = LeaderRecord.builder().holderIdentity(null);

    assertThatNullPointerException().isThrownBy(builder::build).withMessage("holderIdentity");
  }

  @Test
  void missingLeaseDurationShouldBeRejectedByBuild() {
    LeaderRecord.Builder builder = LeaderRecord.builder().leaseDuration(null);

    assertThatNullPointerException().isThrownBy(builder::build).withMessage("leaseDuration");
  }

  @Test
  void negativeLeaseDurationShouldBeRejectedByBuild() {
    LeaderRecord.Builder builder = record.toBuilder().leaseDuration(Duration.ofSeconds(-1));

    assertThatIllegalArgumentException().isThrownBy(builder::build)
        .withMessage("leaseDuration must not be negative: PT-1S");
  }

  @Test
  void negativeTransitionsShouldBeRejectedByBuild() {
    LeaderRecord.Builder builder = record.toBuilder().leaseTransitions(-1);

    assertThatIllegalArgumentException().isThrownBy(builder::build)
        .withMessage("leaseTransitions must not be negative: -1");
  }

  @Test
  void wholeNumberVersionsShouldBeOrderedAndOpaqueOnesNot() {
    assertThat(record.withVersion("10").isNewerThan(record.withVersion("9"))).isTrue();
    assertThat(record.withVersion("9").isNewerThan(record.withVersion("10"))).isFalse();
    assertThat(record.withVersion("v10").isNewerThan(record.withVersion("v9"))).isFalse();
    assertThat(record.withVersion(null).isNewerThan(record)).isFalse();
  }
}
