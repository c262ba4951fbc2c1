package io.sockeye.examples.chat;

import io.sockeye.core.Socket;
import io.sockeye.spring.OnConnect;
import io.sockeye.spring.OnDisconnect;
import io.sockeye.spring.OnEvent;
import io.sockeye.spring.SocketIoController;
import io.sockeye.spring.SocketIoException;

import java.util.concurrent.atomic.AtomicLong;

/** The lobby: everyone joins it; messages go to a room, and their ack is the message's number. */
@SocketIoController(namespace = "/chat")
public class ChatController {

    public record Message(String room, String user, String text) {
    }

    public record Receipt(long id, String room) {
    }

    private final AtomicLong ids = new AtomicLong();

    @OnConnect
    void joined(Socket socket) {
        socket.join("lobby");
        socket.emit("welcome", "you are in the lobby");
    }

    @OnEvent("join")
    String join(Socket socket, String room) {
        socket.join(room);
        return room;
    }

    @OnEvent("message")
    Receipt message(Socket socket, Message message) {
        if (message.text() == null || message.text().isBlank()) {
            throw new SocketIoException("empty message");
        }
        socket.to(message.room()).emit("message", message);
        return new Receipt(ids.incrementAndGet(), message.room());
    }

    @OnDisconnect
    void left(Socket socket, String reason) {
        socket.to("lobby").emit("left", socket.id());
    }
}
