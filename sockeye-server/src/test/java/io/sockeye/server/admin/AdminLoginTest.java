package io.sockeye.server.admin;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.internal.ThreadExecutorMap;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.sockeye.core.ServerOptions;
import io.sockeye.core.SocketIoServer;
import io.sockeye.netty.NettyFrontend;
import io.sockeye.server.http.HttpRouter;
import io.sockeye.testkit.ManualClock;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared admin password check: off the event loops, bounded, and quiet in the log under a flood. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdminLoginTest {

    private static final long WAIT_SECONDS = 30;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** Where one password check ran. */
    private record CheckedOn(Thread thread, Object eventExecutor) {
    }

    @Test
    void thePasswordIsCheckedOnNoEventLoopThreadByEitherWay() throws Exception {
        AdminCredentials credentials = AdminCredentials.of("admin", "s3cret");
        List<CheckedOn> checks = new CopyOnWriteArrayList<>();
        AdminLogin login = new AdminLogin(credentials, (user, password) -> {
            checks.add(new CheckedOn(Thread.currentThread(), ThreadExecutorMap.currentExecutor()));
            return credentials.matches(user, password);
        }, new LoginThrottle(Clock.systemUTC()), Clock.systemUTC(), AdminLogin.THREADS, AdminLogin.QUEUE);
        toClose.add(login);
        SocketIoServer io = SocketIoServer.create(ServerOptions.defaults());
        AdminUiNamespace adminUi = AdminUiNamespace.install(io, AdminUiOptions.of(credentials), login);
        toClose.add(adminUi);
        AdminDashboard dashboard = AdminDashboard.builder(io, login).build();
        NettyFrontend server = NettyFrontend.builder().host("127.0.0.1").port(0).attach(io)
                .fallback(HttpRouter.of(dashboard)).build().start();
        toClose.add(server);
        String base = "http://127.0.0.1:" + server.port();

        IO.Options options = new IO.Options();
        options.forceNew = true;
        options.reconnection = false;
        options.transports = new String[] {"websocket"};
        options.auth = Map.of("username", "admin", "password", "s3cret");
        Socket ui = IO.socket(URI.create(base + "/admin"), options);
        toClose.add(ui::close);
        CompletableFuture<Object> connected = new CompletableFuture<>();
        ui.once(Socket.EVENT_CONNECT, args -> connected.complete("connected"));
        ui.once(Socket.EVENT_CONNECT_ERROR, args -> connected.complete(args[0]));
        ui.connect();
        assertThat(connected.get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo("connected");

        HttpResponse<Void> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/admin/login"))
                .timeout(Duration.ofSeconds(WAIT_SECONDS)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("password=s3cret")).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(res.statusCode()).isEqualTo(303);

        assertThat(checks).hasSize(2);
        for (CheckedOn check : checks) {
            assertThat(check.eventExecutor()).as("event loop running %s", check.thread()).isNull();
            assertThat(check.thread()).isNotInstanceOf(FastThreadLocalThread.class);
            assertThat(check.thread().getName()).startsWith("sockeye-admin-password-");
        }
    }

    @Test
    void aFloodBeyondTheQueueIsRefusedAtOnceRatherThanQueued() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AdminLogin login = new AdminLogin(AdminCredentials.of("admin", "s3cret"), (user, password) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return false;
        }, new LoginThrottle(Clock.systemUTC()), Clock.systemUTC(), 1, 2);
        toClose.add(login);
        List<CompletableFuture<AdminLogin.Outcome>> attempts = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            attempts.add(login.check("10.0.0." + i, "test", "admin", "guess"));
        }
        // One checking, two waiting; the other three answered before any check finished.
        for (int i = 3; i < 6; i++) {
            assertThat(attempts.get(i)).isCompletedWithValue(AdminLogin.Outcome.BUSY);
        }
        for (int i = 0; i < 3; i++) {
            assertThat(attempts.get(i)).isNotDone();
        }
        release.countDown();
        for (int i = 0; i < 3; i++) {
            assertThat(attempts.get(i).get(WAIT_SECONDS, TimeUnit.SECONDS)).isEqualTo(AdminLogin.Outcome.REFUSED);
        }
        assertThat(login.check("10.0.0.5", "test", "admin", "guess").get(WAIT_SECONDS, TimeUnit.SECONDS))
                .as("a refused-while-busy attempt was not counted").isEqualTo(AdminLogin.Outcome.REFUSED);
    }

    @Test
    void refusalsAreLoggedAtMostOncePerIntervalWithTheCountOfTheOthers() throws Exception {
        ManualClock clock = ManualClock.startingNow();
        AdminCredentials credentials = AdminCredentials.of("admin", "s3cret");
        AdminLogin login = new AdminLogin(credentials, credentials::matches, new LoginThrottle(clock), clock, 1, 16);
        toClose.add(login);
        Logger logger = (Logger) LoggerFactory.getLogger(AdminLogin.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        Level level = logger.getLevel();
        logger.setLevel(Level.INFO);
        toClose.add(() -> {
            logger.setLevel(level);
            logger.detachAppender(appender);
        });

        for (int i = 0; i < 30; i++) { // ten refused by the password, twenty by the throttle
            login.check("10.0.0.1", "test", "admin", "guess-" + i).get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
        assertThat(appender.list).hasSize(1);
        clock.advance(Duration.ofMillis(AdminLogin.LOG_INTERVAL_MILLIS));
        assertThat(login.check("10.0.0.1", "test", "admin", "s3cret").get(WAIT_SECONDS, TimeUnit.SECONDS))
                .isEqualTo(AdminLogin.Outcome.THROTTLED);
        assertThat(appender.list).hasSize(2);
        assertThat(appender.list.get(1).getFormattedMessage()).contains("too many failed attempts", "29 more");
    }

    @Test
    void aWrongUserNameOrAMissingPasswordIsAFailedAttempt() throws Exception {
        try (AdminLogin login = AdminLogin.of(AdminCredentials.of("admin", "s3cret"))) {
            assertThat(login.check("10.0.0.1", "test", "root", "s3cret").get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(AdminLogin.Outcome.REFUSED);
            assertThat(login.check("10.0.0.1", "test", "admin", null).get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(AdminLogin.Outcome.REFUSED);
            assertThat(login.check("10.0.0.1", "test", "admin", "s3cret").get(WAIT_SECONDS, TimeUnit.SECONDS))
                    .isEqualTo(AdminLogin.Outcome.ACCEPTED);
        }
    }
}
