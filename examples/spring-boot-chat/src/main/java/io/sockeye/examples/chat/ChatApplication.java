package io.sockeye.examples.chat;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The demo chat on Spring Boot: the page on {@code server.port}, Socket.IO on {@code sockeye.port}, the
 * handlers in {@link ChatController} ({@code /chat}) and {@link RoomController} ({@code /room-{name}}).
 */
@SpringBootApplication
public class ChatApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }
}
