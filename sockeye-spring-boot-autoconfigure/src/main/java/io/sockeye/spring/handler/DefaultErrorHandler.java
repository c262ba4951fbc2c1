package io.sockeye.spring.handler;

import io.sockeye.core.Socket;
import io.sockeye.spring.SocketIoErrorHandler;
import io.sockeye.spring.SocketIoException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The starter's error answer: {@code {"error": message, "data": ...}} for a {@link SocketIoException},
 * {@code {"error": "forbidden"}} when Spring Security denied access, {@code {"error": "internal error"}}
 * (logged with the event and socket) for anything else, so that server details never reach a client.
 */
public final class DefaultErrorHandler implements SocketIoErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(DefaultErrorHandler.class);
    // By name: Spring Security is optional.
    private static final String ACCESS_DENIED = "org.springframework.security.access.AccessDeniedException";

    @Override
    public Object[] errorAck(Socket socket, String event, Throwable error) {
        Map<String, Object> body = new LinkedHashMap<>();
        if (error instanceof SocketIoException e) {
            body.put("error", e.getMessage());
            if (e.data() != null) {
                body.put("data", e.data());
            }
        } else if (isAccessDenied(error)) {
            log.debug("event '{}' of socket {} on {} denied: {}", event, socket.id(), socket.namespace().name(), error.toString());
            body.put("error", "forbidden");
        } else {
            log.error("handler of event '{}' failed for socket {} on {}", event, socket.id(), socket.namespace().name(), error);
            body.put("error", "internal error");
        }
        return new Object[] {body};
    }

    static boolean isAccessDenied(Throwable error) {
        for (Class<?> c = error.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(ACCESS_DENIED)) {
                return true;
            }
        }
        return false;
    }
}
