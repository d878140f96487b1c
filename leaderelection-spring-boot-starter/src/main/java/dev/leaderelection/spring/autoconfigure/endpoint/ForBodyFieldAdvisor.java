package dev.leaderelection.spring.autoconfigure.endpoint;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.InvocationContext;
import org.springframework.boot.actuate.endpoint.OperationArgumentResolver;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;

/**
 * Passes the yield body's {@code for} field (a Java keyword, so no parameter can bear its name)
 * to the write operation's {@code backOff} parameter, which no other field of the body reaches.
 * Touches only the {@code leaderelection} endpoint's write operation.
 */
final class ForBodyFieldAdvisor implements OperationInvokerAdvisor {

  static final String FIELD = "for";
  static final String PARAMETER = "backOff";

  @Override
  public OperationInvoker apply(EndpointId endpointId, OperationType operationType,
      OperationParameters parameters, OperationInvoker invoker) {
    if (!endpointId.equals(LeaderElectionEndpointAutoConfiguration.ID)
        || operationType != OperationType.WRITE) {
      return invoker;
    }
    return context -> {
      Map<String, Object> arguments = new HashMap<>(context.getArguments());
      arguments.remove(PARAMETER);
      Object given = arguments.remove(FIELD);
      if (given != null) {
        arguments.put(PARAMETER, given);
      }
      return invoker.invoke(new InvocationContext(context.resolveArgument(SecurityContext.class),
          arguments, new OperationArgumentResolver() {
            @Override
            public boolean canResolve(Class<?> type) {
              return context.canResolve(type);
            }

            @Override
            public <T> T resolve(Class<T> type) {
              return context.resolveArgument(type);
            }
          }));
    };
  }
}
