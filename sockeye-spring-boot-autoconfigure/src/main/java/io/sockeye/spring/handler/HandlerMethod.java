package io.sockeye.spring.handler;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sockeye.core.Ack;
import io.sockeye.core.Args;
import io.sockeye.core.Socket;
import io.sockeye.spring.NamespaceVariable;
import io.sockeye.spring.SocketIoErrorHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.convert.ConversionService;
import org.springframework.util.ReflectionUtils;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.security.Principal;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * One annotated handler method, bound to the bean Spring hands out (its proxy, so that
 * {@code @Transactional}, {@code @PreAuthorize} and {@code @Async} run): resolves its parameters by type
 * for each call, invokes it inside the {@link InvocationScope}, and turns its result or exception into
 * the ack.
 */
public final class HandlerMethod {

    private static final Logger log = LoggerFactory.getLogger(HandlerMethod.class);

    /** Where a parameter's value comes from. */
    private enum Source { SOCKET, ACK, ARGS, PRINCIPAL, VARIABLE, REASON, ARGUMENT }

    private final Object bean;
    private final Method method;
    private final String description;
    private final NamespaceRoute route;
    private final Source[] sources;
    private final Class<?>[] types;
    private final JavaType[] javaTypes;
    private final String[] variables;
    private final boolean answersItself;
    private final Context context;

    /** What every handler of an application shares. */
    public record Context(ObjectMapper mapper, ConversionService conversion, SocketPrincipals principals,
                          InvocationScope scope, SocketIoErrorHandler errors) {
    }

    /**
     * @param bean   the bean as the container hands it out (possibly a proxy)
     * @param method the method to call on it, invocable on {@code bean}'s class
     * @param reasonParameter whether a {@code String} parameter receives the disconnect reason
     */
    public HandlerMethod(Object bean, Method method, NamespaceRoute route, boolean reasonParameter, Context context) {
        this.bean = bean;
        this.method = method;
        this.route = route;
        this.context = context;
        this.description = method.getDeclaringClass().getSimpleName() + "." + method.getName();
        ReflectionUtils.makeAccessible(method);
        Parameter[] params = method.getParameters();
        sources = new Source[params.length];
        types = new Class<?>[params.length];
        javaTypes = new JavaType[params.length];
        variables = new String[params.length];
        boolean reasonTaken = !reasonParameter;
        boolean ackParam = false;
        for (int i = 0; i < params.length; i++) {
            Class<?> type = params[i].getType();
            types[i] = type;
            NamespaceVariable variable = params[i].getAnnotation(NamespaceVariable.class);
            if (variable != null) {
                if (!route.variables().contains(variable.value())) {
                    throw new IllegalStateException(description + ": namespace " + route + " has no variable {" + variable.value() + "}");
                }
                sources[i] = Source.VARIABLE;
                variables[i] = variable.value();
            } else if (type == Socket.class) {
                sources[i] = Source.SOCKET;
            } else if (type == Ack.class) {
                sources[i] = Source.ACK;
                ackParam = true;
            } else if (type == Args.class) {
                sources[i] = Source.ARGS;
            } else if (Principal.class.isAssignableFrom(type)) {
                sources[i] = Source.PRINCIPAL;
            } else if (!reasonTaken && type == String.class) {
                sources[i] = Source.REASON;
                reasonTaken = true;
            } else {
                sources[i] = Source.ARGUMENT;
                javaTypes[i] = context.mapper().getTypeFactory().constructType(params[i].getParameterizedType());
            }
        }
        this.answersItself = ackParam;
    }

    public String description() {
        return description;
    }

    /** Calls an {@code @OnConnect} or {@code @OnDisconnect} method; failures are logged. */
    public void call(Socket socket, String reason) {
        try {
            invoke(socket, Args.of(), null, reason);
        } catch (Throwable t) {
            log.error("{} failed for socket {} on {}", description, socket.id(), socket.namespace().name(), unwrap(t));
        }
    }

    /** Calls an {@code @OnEvent} method and answers the ack with its result, or its failure. */
    public void handle(Socket socket, String event, Args args, Ack ack) {
        Object result;
        try {
            result = invoke(socket, args, ack, null);
        } catch (Throwable t) {
            fail(socket, event, ack, t);
            return;
        }
        if (result instanceof CompletionStage<?> stage) {
            stage.whenComplete((value, error) -> {
                if (error != null) {
                    fail(socket, event, ack, error);
                } else {
                    answer(ack, value);
                }
            });
        } else {
            answer(ack, result);
        }
    }

    private void answer(Ack ack, Object value) {
        if (answersItself || !ack.requested()) {
            return;
        }
        if (value == null) {
            ack.send();
        } else {
            ack.send(value);
        }
    }

    private void fail(Socket socket, String event, Ack ack, Throwable failure) {
        Throwable error = unwrap(failure);
        if (ack != null && ack.requested()) {
            ack.send(context.errors().errorAck(socket, event, error));
        } else {
            log.error("{} failed for event '{}' of socket {} on {}", description, event, socket.id(),
                    socket.namespace().name(), error);
        }
    }

    private Object invoke(Socket socket, Args args, Ack ack, String reason) throws Throwable {
        Principal principal = context.principals().get(socket);
        Object[] values = new Object[sources.length];
        int next = 0;
        for (int i = 0; i < sources.length; i++) {
            values[i] = switch (sources[i]) {
                case SOCKET -> socket;
                case ACK -> ack;
                case ARGS -> args;
                case PRINCIPAL -> types[i].isInstance(principal) ? principal : null;
                case REASON -> reason;
                case VARIABLE -> context.conversion().convert(route.values(socket.namespace().name()).get(variables[i]), types[i]);
                case ARGUMENT -> argument(args, next++, i);
            };
        }
        try (InvocationScope.Handle ignored = context.scope().enter(principal)) {
            return method.invoke(bean, values);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private Object argument(Args args, int index, int param) {
        Object raw = index < args.size() ? args.get(index) : null;
        if (raw == null) {
            return types[param].isPrimitive() ? java.lang.reflect.Array.get(java.lang.reflect.Array.newInstance(types[param], 1), 0) : null;
        }
        if (types[param].isInstance(raw) && javaTypes[param].getBindings().isEmpty()) {
            return raw;
        }
        return context.mapper().convertValue(raw, javaTypes[param]);
    }

    static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException
                || e instanceof InvocationTargetException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    @Override
    public String toString() {
        return description;
    }
}
