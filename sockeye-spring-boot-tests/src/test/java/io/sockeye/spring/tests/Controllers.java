package io.sockeye.spring.tests;

import io.sockeye.core.ConnectError;
import io.sockeye.core.Middleware;
import io.sockeye.core.Next;
import io.sockeye.core.Socket;
import io.sockeye.spring.NamespaceVariable;
import io.sockeye.spring.OnConnect;
import io.sockeye.spring.OnDisconnect;
import io.sockeye.spring.OnEvent;
import io.sockeye.spring.SocketIoController;
import io.sockeye.spring.SocketIoException;
import io.sockeye.spring.SocketIoMiddleware;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.transaction.annotation.Transactional;

import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** The test application's handlers. */
final class Controllers {

    private Controllers() {
    }

    record ChatMessage(String room, String text) {
    }

    record Reply(String text, String user, String namespace) {
    }

    @SocketIoController(namespace = "/chat")
    static class Chat {
        static final List<String> DISCONNECTS = new CopyOnWriteArrayList<>();

        @OnConnect
        void joined(Socket socket) {
            socket.join("lobby");
        }

        @OnEvent("message")
        Reply message(Socket socket, ChatMessage msg, Principal user) {
            socket.to(msg.room()).emit("message", msg);
            return new Reply(msg.text().toUpperCase(), user == null ? null : user.getName(), socket.namespace().name());
        }

        @OnEvent("later")
        CompletableFuture<String> later(String text) {
            return CompletableFuture.supplyAsync(() -> text + "!");
        }

        @OnEvent("fail")
        void fail(String kind) {
            if ("client".equals(kind)) {
                throw new SocketIoException("bad input", Map.of("field", "text"));
            }
            throw new IllegalStateException("a detail the client must not see");
        }

        @OnDisconnect
        void left(Socket socket, String reason) {
            DISCONNECTS.add(reason);
        }
    }

    @SocketIoController(namespace = "/tenant-{id}")
    static class Tenant {
        @OnEvent("whoami")
        Map<String, Object> whoami(@NamespaceVariable("id") long id, Socket socket) {
            return Map.of("tenant", id, "namespace", socket.namespace().name());
        }
    }

    /** Proxied three ways: transactions, method security and @Async all need the call to go through the proxy. */
    @SocketIoController
    static class Secured {
        private final JdbcTemplate jdbc;

        Secured(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @OnEvent("admin")
        @PreAuthorize("hasAuthority('SCOPE_admin')")
        public String admin(Principal user) {
            return "welcome " + user.getName();
        }

        @OnEvent("save")
        @Transactional
        public int save(String name, boolean fail) {
            jdbc.update("insert into notes(name) values (?)", name);
            if (fail) {
                throw new SocketIoException("rolled back");
            }
            return count(name);
        }

        @OnEvent("count")
        public int count(String name) {
            return jdbc.queryForObject("select count(*) from notes where name = ?", Integer.class, name);
        }

        private volatile CountDownLatch gate = new CountDownLatch(1);

        /** Waits for "release": only possible if it runs elsewhere, since one socket's handlers run one at a time. */
        @OnEvent("async")
        @Async
        public CompletableFuture<String> async() throws InterruptedException {
            boolean released = gate.await(30, TimeUnit.SECONDS);
            gate = new CountDownLatch(1);
            return CompletableFuture.completedFuture(released ? "released" : "never released");
        }

        @OnEvent("release")
        public String release() {
            gate.countDown();
            return "ok";
        }
    }

    /** Refuses sockets of /chat whose CONNECT payload says {@code banned: true}. */
    @SocketIoMiddleware(namespace = "/chat")
    static class Banned implements Middleware {
        @Override
        public void handle(Socket socket, Next next) {
            if ("true".equals(String.valueOf(socket.handshake().auth().get("banned")))) {
                next.reject(new ConnectError("banned"));
            } else {
                next.proceed();
            }
        }
    }
}
