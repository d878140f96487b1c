package dev.leaderelection.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each control command reaches the operation it names, with its argument. */
class ControlChannelTest {

  private final List<String> calls = new ArrayList<>();
  private final ControlChannel.Controls controls = new ControlChannel.Controls() {
    @Override
    public void yield(Duration backOff) {
      calls.add("yield " + backOff.toMillis());
    }

    @Override
    public void pause() {
      calls.add("pause");
    }

    @Override
    public void resume() {
      calls.add("resume");
    }

    @Override
    public void stopWork(Duration stopping) {
      calls.add("stop-work " + stopping.toMillis());
    }
  };

  @Test
  void commandsShouldReachTheirOperationsInOrder() {
    for (String line : List.of("YIELD 12000", "PAUSE", "RESUME", "STOP-WORK 3999", "YIELD 0")) {
      ControlChannel.apply(line, controls);
    }

    assertThat(calls).containsExactly("yield 12000", "pause", "resume", "stop-work 3999",
        "yield 0");
  }

  @Test
  void unknownCommandShouldBeRejectedAndCallNothing() {
    assertThatThrownBy(() -> ControlChannel.apply("SIGKILL", controls))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIGKILL");
    assertThat(calls).isEmpty();
  }

  @Test
  void yieldWithoutItsBackOffShouldBeRejected() {
    assertThatThrownBy(() -> ControlChannel.apply("YIELD", controls))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("milliseconds");
    assertThat(calls).isEmpty();
  }
}
