package io.sockeye.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a taken Socket.IO port into Spring Boot's "APPLICATION FAILED TO START" report, saying what to do. */
class PortInUseFailureAnalyzer extends AbstractFailureAnalyzer<SockeyePortInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SockeyePortInUseException cause) {
        return new FailureAnalysis(
                "Sockeye's Socket.IO server failed to start: port " + cause.port() + " is already in use.",
                "Stop the process that listens on port " + cause.port() + ", or set sockeye.port to another port "
                        + "(0 picks a free one). The Socket.IO server needs a port of its own, apart from server.port.",
                cause);
    }
}
