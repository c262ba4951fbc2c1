package io.sockeye.core.adapter;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.sockeye.core.Parser;
import io.sockeye.protocol.msgpack.MsgpackPacketDecoder;
import io.sockeye.protocol.socket.SocketPacket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A broadcast is encoded for the parsers its recipients use, each once: never for a parser nobody uses. */
class BroadcastParsersTest {

    private final DefaultEventExecutor loop = new DefaultEventExecutor();
    private final RecordingNamespace namespace = new RecordingNamespace("/");
    private final InMemoryAdapter adapter = new InMemoryAdapter(namespace);

    {
        namespace.attach(adapter);
    }

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void jsonAndMsgpackRecipientsShareOneEncodingEach() {
        RecordingSocket json1 = namespace.connect(loop);
        RecordingSocket json2 = namespace.connect(loop);
        RecordingSocket msgpack1 = namespace.connect(loop).parser(Parser.MSGPACK);
        RecordingSocket msgpack2 = namespace.connect(loop).parser(Parser.MSGPACK);

        adapter.broadcast(SocketPacket.event("/", List.of("news", 1)), BroadcastOptions.ALL);

        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> json1.written().size() == 1 && json2.written().size() == 1
                && msgpack1.msgpackWritten().size() == 1 && msgpack2.msgpackWritten().size() == 1);
        assertThat(json1.written().get(0)).isSameAs(json2.written().get(0));
        assertThat(json1.written().get(0).text()).isEqualTo("2[\"news\",1]");
        assertThat(msgpack1.msgpackWritten().get(0)).isSameAs(msgpack2.msgpackWritten().get(0));
        assertThat(new MsgpackPacketDecoder().decode(msgpack1.msgpackWritten().get(0)))
                .isEqualTo(SocketPacket.event("/", List.of("news", 1)));
    }

    @Test
    void aBroadcastToMsgpackRecipientsOnlyIsNeverEncodedAsJson() {
        RecordingSocket msgpack = namespace.connect(loop).parser(Parser.MSGPACK);

        adapter.broadcast(SocketPacket.event("/", List.of("news", 1)), BroadcastOptions.ALL);

        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> msgpack.broadcasts().size() == 1);
        BroadcastPacket packet = msgpack.broadcasts().get(0);
        assertThatThrownBy(packet::encoded).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBroadcastToJsonRecipientsOnlyIsNeverEncodedAsMsgpack() {
        RecordingSocket json = namespace.connect(loop);

        adapter.broadcast(SocketPacket.event("/", List.of("news", 1)), BroadcastOptions.ALL);

        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> json.broadcasts().size() == 1);
        assertThatThrownBy(json.broadcasts().get(0)::msgpackMessage).isInstanceOf(IllegalStateException.class);
    }
}
