package io.sockeye.netty.internal;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.sockeye.core.RequestInfo;
import io.sockeye.core.ServerOptions;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A long-polling exchange on a keep-alive connection: its abort callback runs only when the connection
 * closes before the answer, and an answered exchange is not kept alive by the connection it used (a
 * client polling for hours on one connection must not pile up one callback per poll).
 */
class NettyHttpExchangeTest {

    private static final RequestInfo GET = new RequestInfo("GET", "/socket.io/?EIO=4&transport=polling",
            "/socket.io/", Map.of(), Map.of(), "127.0.0.1", false);

    private static NettyHttpExchange exchange(EmbeddedChannel channel) {
        return new NettyHttpExchange(channel, GET, ServerOptions.defaults(), true);
    }

    @Test
    void theAbortCallbackRunsWhenTheConnectionClosesBeforeTheAnswerOnly() {
        EmbeddedChannel channel = new EmbeddedChannel();
        AtomicInteger aborted = new AtomicInteger();
        NettyHttpExchange answered = exchange(channel);
        answered.whenAborted(aborted::incrementAndGet);
        answered.sendPayload("2");
        exchange(channel).whenAborted(aborted::incrementAndGet);

        channel.close();

        assertThat(aborted).hasValue(1);
        releaseOutbound(channel);
    }

    @Test
    void anAnsweredExchangeIsNotHeldByItsKeepAliveConnection() {
        EmbeddedChannel channel = new EmbeddedChannel();
        List<WeakReference<Runnable>> callbacks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Runnable onClose = new Callback(); // a fresh object each time (a lambda capturing nothing is shared)
            callbacks.add(new WeakReference<>(onClose));
            NettyHttpExchange poll = exchange(channel);
            poll.whenAborted(onClose);
            poll.sendPayload("6");
        }
        releaseOutbound(channel);

        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return callbacks.stream().allMatch(ref -> ref.get() == null);
        });
        assertThat(channel.isOpen()).isTrue();
        channel.close();
    }

    private static final class Callback implements Runnable {
        @Override
        public void run() {
        }
    }

    private static void releaseOutbound(EmbeddedChannel channel) {
        Object out;
        while ((out = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(out);
        }
    }
}
