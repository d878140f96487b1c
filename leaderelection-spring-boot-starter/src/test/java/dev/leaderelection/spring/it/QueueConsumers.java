package dev.leaderelection.spring.it;

/** Reads what a {@link ElectionTestApplication.QueueConsumer} counted, from other packages. */
public final class QueueConsumers {

  private QueueConsumers() {
  }

  public static int starts(ElectionTestApplication.QueueConsumer consumer) {
    return consumer.starts();
  }
}
