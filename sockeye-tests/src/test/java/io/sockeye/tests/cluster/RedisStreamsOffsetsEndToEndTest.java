package io.sockeye.tests.cluster;

import io.socket.client.Socket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.sockeye.tests.cluster.SockeyeCluster.ask;
import static io.sockeye.tests.cluster.SockeyeCluster.next;
import static io.sockeye.tests.cluster.SockeyeCluster.publishRequest;
import static io.sockeye.tests.cluster.SockeyeCluster.record;
import static io.sockeye.tests.cluster.SockeyeCluster.subscribe;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two standalone nodes on one Redis with {@code ?adapter=streams}, where the stream is the cluster's
 * history and a message's offset is its stream entry id, assigned by Redis when the message is appended:
 * {@code /api/publish} and the client {@code publish} answer that offset (not {@code null}), the same one
 * every subscriber on every node gets in {@code meta.offset} and as the last argument, and a
 * {@code history} read from it on the other node continues right after the message.
 */
@DisplayName("cluster: publish answers the stream entry id with adapter=streams")
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RedisStreamsOffsetsEndToEndTest {

    private static final String ENTRY_ID = "\\d+-\\d+";

    private BusProcess redis;
    private SockeyeCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void apiAndClientPublishesAnswerTheEntryIdEverySubscriberGetsAsItsOffset() throws Exception {
        redis = BusProcess.redis();
        cluster = SockeyeCluster.start(2, "--redis-url", redis.url() + "?adapter=streams");
        Socket onOne = cluster.connect(1, "alice");
        Socket onTwo = cluster.connect(2, "bob");
        subscribe(onOne, "lobby");
        subscribe(onTwo, "lobby");
        BlockingQueue<Object[]> atOne = record(onOne, "chat");
        BlockingQueue<Object[]> atTwo = record(onTwo, "chat");

        SockeyeCluster.ApiReply published = cluster.api(1, "POST", "/api/publish",
                "{\"room\":\"lobby\",\"event\":\"chat\",\"data\":\"from the api\"}");
        assertThat(published.status()).as("%s", published.body()).isEqualTo(200);
        String first = published.body().get("offset").asText(null);
        assertThat(first).as("%s", published.body()).isNotNull().matches(ENTRY_ID);
        assertDeliveredWith(next(atOne, "the API's chat on node 1"), "from the api", first);
        assertDeliveredWith(next(atTwo, "the API's chat on node 2"), "from the api", first);

        JSONObject sent = ask(onTwo, "publish", publishRequest("lobby", "chat", "from bob"));
        assertThat(sent.getBoolean("ok")).as("%s", sent).isTrue();
        String second = sent.optString("offset", null);
        assertThat(second).as("%s", sent).isNotNull().matches(ENTRY_ID).isNotEqualTo(first);
        assertDeliveredWith(next(atOne, "bob's chat on node 1"), "from bob", second);
        assertDeliveredWith(next(atTwo, "bob's chat on node 2"), "from bob", second);

        SockeyeCluster.ApiReply history = cluster.api(2, "GET", "/api/rooms/lobby/history?since=" + first, null);
        assertThat(history.status()).as("%s", history.body()).isEqualTo(200);
        assertThat(history.body().get("messages")).as("%s", history.body()).hasSize(1);
        assertThat(history.body().at("/messages/0/meta/offset").asText()).isEqualTo(second);
        assertThat(history.body().at("/messages/0/data").asText()).isEqualTo("from bob");
    }

    private static void assertDeliveredWith(Object[] args, String data, String offset) {
        assertThat(args[0]).isEqualTo(data);
        assertThat(((JSONObject) args[1]).optString("offset", null)).as("meta.offset").isEqualTo(offset);
        assertThat(args[args.length - 1]).as("the offset as last argument").isEqualTo(offset);
    }
}
