package com.example.consumer;

import io.sockeye.core.Socket;
import io.sockeye.spring.OnConnect;
import io.sockeye.spring.OnEvent;
import io.sockeye.spring.SocketIoController;

/** Greets each client and answers {@code echo} with an ack. */
@SocketIoController(namespace = "/")
class EchoController {

    @OnConnect
    void joined(Socket socket) {
        socket.emit("welcome", "hello from a BOM consumer");
    }

    @OnEvent("echo")
    String echo(String text) {
        return "echo: " + text;
    }
}
