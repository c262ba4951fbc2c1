package io.sockeye.examples.chat;

import io.sockeye.core.Socket;
import io.sockeye.spring.NamespaceVariable;
import io.sockeye.spring.OnEvent;
import io.sockeye.spring.SocketIoController;

import java.util.Map;

/** A namespace per room, created when its first client connects: {@code /room-kitchen}, {@code /room-42}... */
@SocketIoController(namespace = "/room-{name}")
public class RoomController {

    @OnEvent("say")
    Map<String, String> say(Socket socket, @NamespaceVariable("name") String room, String text) {
        socket.broadcast().emit("said", text);
        return Map.of("room", room, "text", text);
    }
}
