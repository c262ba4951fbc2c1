package io.sockeye.spring.autoconfigure;

/** The Socket.IO server could not bind its port; Spring Boot reports it with {@link PortInUseFailureAnalyzer}. */
public class SockeyePortInUseException extends RuntimeException {

    private final int port;

    public SockeyePortInUseException(int port, Throwable cause) {
        super("Socket.IO server port " + port + " is already in use", cause);
        this.port = port;
    }

    public int port() {
        return port;
    }
}
